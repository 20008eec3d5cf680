using ApiKeys.Pool;
using ApiKeys.Security;
using ApiKeys.Storage;
using ApiKeys.Tests.Security;
using ApiKeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Tests.Storage;

/// <summary>Backups as a core API (the CLI's backup and restore call it): dated copies, never over an earlier one, read before restored.</summary>
public sealed class StoreBackupTests
{
    private static readonly FakeTimeProvider Time = new(new DateTimeOffset(2026, 3, 4, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Create_TwiceTheSameDay_DatedCopiesNeverOverwritten0600()
    {
        using var dir = new TempDirectory();
        Seed(dir.Path, TestKeys.Gemini(1));

        var first = StoreBackup.Create(dir.Path, timeProvider: Time);
        var second = StoreBackup.Create(dir.Path, timeProvider: Time);

        Assert.Equal(dir.File("api_keys_2026-03-04.json"), first.KeysPath);
        Assert.Equal(dir.File("api_key_states_2026-03-04.json"), first.StatesPath);
        Assert.Equal(dir.File("api_keys_2026-03-04_2.json"), second.KeysPath);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(first.KeysPath));
        Assert.Equal(File.ReadAllBytes(dir.File("api_keys.json")), File.ReadAllBytes(first.KeysPath));
        Assert.Equal(second.KeysPath, StoreBackup.Find(dir.Path, new DateOnly(2026, 3, 4)));
    }

    [Fact]
    public void Restore_AfterChanges_KeysAndStatesBack()
    {
        using var dir = new TempDirectory();
        Seed(dir.Path, TestKeys.Gemini(1), TestKeys.Gemini(2));
        var backup = StoreBackup.Create(dir.Path, timeProvider: Time);
        using (var pool = ApiKeyManager.Open(dir.Path))
        {
            pool.RemoveKey(TestKeys.Gemini(1));
        }

        var read = StoreBackup.Read(backup.KeysPath);
        StoreBackup.Restore(dir.Path, backup.KeysPath);

        Assert.Equal((2, false), (read.KeyCount, read.IsEncrypted));
        using var restored = ApiKeyManager.Open(dir.Path);
        Assert.Equal([TestKeys.Gemini(1), TestKeys.Gemini(2)], restored.Keys.Select(k => k.Secret));
        Assert.Equal(KeyAvailability.Disabled, restored.GetStatus(TestKeys.Gemini(1))!.Availability);
    }

    [Fact]
    public void Restore_DamagedBackup_ThrowsNamingItAndChangesNothing()
    {
        using var dir = new TempDirectory();
        Seed(dir.Path, TestKeys.Gemini(1));
        File.WriteAllText(dir.File("api_keys_2026-01-01.json"), "[\"broken");
        byte[] before = File.ReadAllBytes(dir.File("api_keys.json"));

        var e = Assert.Throws<KeyStoreException>(() => StoreBackup.Restore(dir.Path, dir.File("api_keys_2026-01-01.json")));

        Assert.Contains("api_keys_2026-01-01.json", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File("api_keys.json")));
    }

    [Fact]
    public void CreateThenRestore_EncryptedStore_BackupEncryptedWrongPassphraseChangesNothing()
    {
        using var dir = new TempDirectory();
        Seed(dir.Path, TestKeys.Gemini(1));
        var right = new CountingProvider("right passphrase");
        EncryptedStore.Encrypt(dir.Path, right, CryptoTestSupport.Fast);
        var backup = StoreBackup.Create(dir.Path, passphrase: right, protectorOptions: CryptoTestSupport.Fast, timeProvider: Time);
        byte[] before = File.ReadAllBytes(dir.File("api_keys.json"));

        var wrong = Assert.Throws<KeyStoreException>(() =>
            StoreBackup.Restore(dir.Path, backup.KeysPath, new CountingProvider("wrong"), CryptoTestSupport.Fast));
        var read = StoreBackup.Read(backup.KeysPath, right, CryptoTestSupport.Fast);

        Assert.Equal(KeyStoreErrorKind.Decryption, wrong.Kind);
        Assert.Equal(before, File.ReadAllBytes(dir.File("api_keys.json")));
        Assert.Equal((1, true), (read.KeyCount, read.IsEncrypted));
        Assert.DoesNotContain(TestKeys.Gemini(1), File.ReadAllText(backup.KeysPath), StringComparison.Ordinal);
    }

    [Fact]
    public void KeepAsIs_UnreadableKeysFile_BytesKeptUnderANameFindNeverPicks()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("api_keys.json"), "{ not json");

        var kept = StoreBackup.KeepAsIs(dir.Path, Time);

        Assert.Equal(dir.File("api_keys_unreadable_2026-03-04.json"), kept.KeysPath);
        Assert.Equal("{ not json", File.ReadAllText(kept.KeysPath));
        Assert.Null(StoreBackup.Find(dir.Path, new DateOnly(2026, 3, 4)));
    }

    private static void Seed(string directory, params string[] keys)
    {
        using var pool = ApiKeyManager.Open(directory);
        foreach (var key in keys)
        {
            pool.AddKey(key);
        }

        pool.Report(pool.ResolveId(keys[0])!, KeyOutcome.Failed(KeyFailure.InvalidKey()));
        pool.Flush();
    }
}
