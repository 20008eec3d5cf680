using System.Text;
using ApiKeys.Security;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using static ApiKeys.Tests.Security.CryptoTestSupport;

namespace ApiKeys.Tests.Security;

public class EncryptedStoreTests
{
    private static readonly IPassphraseProvider Right = PassphraseProvider.FromValue("right passphrase");
    private static readonly IPassphraseProvider Wrong = PassphraseProvider.FromValue("wrong passphrase");

    [Fact]
    public void ApiKeyManager_EncryptedStore_AddsRemovesAndReopens()
    {
        using var dir = new TempDirectory();
        var options = new JsonKeyStoreOptions { Protector = Protector("right passphrase") };
        using (var manager = new ApiKeyManager(new JsonKeyStore(dir.Path, options), timeProvider: new FakeTimeProvider()))
        {
            manager.AddKey(TestKeys.Gemini(1));
            manager.AddKey(TestKeys.Gemini(2));
            manager.AddKey(TestKeys.Gemini(3));
            manager.RemoveKey(TestKeys.Gemini(2));
        }

        using var reopened = new ApiKeyManager(new JsonKeyStore(dir.Path, new JsonKeyStoreOptions { Protector = Protector("right passphrase") }), timeProvider: new FakeTimeProvider());

        Assert.Equal([TestKeys.Gemini(1), TestKeys.Gemini(3)], reopened.Keys.Select(k => k.Secret));
        var bytes = File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName));
        Assert.True(EncryptedEnvelopeMagic.IsEnvelope(bytes));
        Assert.DoesNotContain("AIzaSyCANARY", Encoding.Latin1.GetString(bytes), StringComparison.Ordinal);
    }

    [Fact]
    public void ApiKeyManager_ManyKeyChanges_DeriveTheKeyOnce()
    {
        using var dir = new TempDirectory();
        WritePlain(dir, TestKeys.Many(100));
        EncryptedStore.Encrypt(dir.Path, Right, Fast);
        var provider = new CountingProvider("right passphrase");
        using var protector = new PassphraseProtector(provider, Fast);

        using (var manager = new ApiKeyManager(new JsonKeyStore(dir.Path, new JsonKeyStoreOptions { Protector = protector }), timeProvider: new FakeTimeProvider()))
        {
            manager.AddKey(TestKeys.Gemini(100));
            manager.RemoveKey(TestKeys.Gemini(0));
            manager.AddKey(TestKeys.Gemini(101));
            Assert.Equal(101, manager.Count);
        }

        Assert.Equal(1, protector.KdfRuns);
        Assert.Equal(1, provider.Unlocks);
        Assert.Equal(0, provider.News);
    }

    [Fact]
    public void Open_WrongPassphrase_ThrowsDecryptionAndFileUntouched()
    {
        using var dir = new TempDirectory();
        WritePlain(dir, TestKeys.Gemini(1));
        EncryptedStore.Encrypt(dir.Path, Right, Fast);
        var before = File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName));

        var e = Assert.Throws<KeyStoreException>(() => EncryptedStore.Open(dir.Path, Wrong, timeProvider: new FakeTimeProvider(), protectorOptions: Fast));

        Assert.Equal(KeyStoreErrorKind.Decryption, e.Kind);
        Assert.Contains("wrong passphrase", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName)));
    }

    [Fact]
    public void DecryptAndChangePassphrase_WrongPassphrase_FileByteIdentical()
    {
        using var dir = new TempDirectory();
        WritePlain(dir, TestKeys.Gemini(1));
        EncryptedStore.Encrypt(dir.Path, Right, Fast);
        var before = File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName));

        Assert.Throws<KeyStoreException>(() => EncryptedStore.Decrypt(dir.Path, Wrong, Fast));
        Assert.Throws<KeyStoreException>(() => EncryptedStore.ChangePassphrase(dir.Path, Wrong, Right, protectorOptions: Fast));

        Assert.Equal(before, File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName)));
    }

    [Fact]
    public void Open_WithoutProtector_RefusesEncryptedStoreClearly()
    {
        using var dir = new TempDirectory();
        WritePlain(dir, TestKeys.Gemini(1));
        EncryptedStore.Encrypt(dir.Path, Right, Fast);

        var e = Assert.Throws<KeyStoreException>(() => new ApiKeyManager(new JsonKeyStore(dir.Path), timeProvider: new FakeTimeProvider()));

        Assert.Equal(KeyStoreErrorKind.Decryption, e.Kind);
        Assert.Contains("APIKEYS_PASSPHRASE", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypt_PlainStore_KeysKeptAndFileEncrypted0600()
    {
        using var dir = new TempDirectory();
        WritePlain(dir, TestKeys.Gemini(1), TestKeys.Gemini(2));

        EncryptedStore.Encrypt(dir.Path, Right, Fast);

        Assert.True(EncryptedStore.IsEncrypted(dir.Path));
        using var manager = EncryptedStore.Open(dir.Path, Right, timeProvider: new FakeTimeProvider(), protectorOptions: Fast);
        Assert.Equal([TestKeys.Gemini(1), TestKeys.Gemini(2)], manager.Keys.Select(k => k.Secret));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File(JsonKeyStore.KeysFileName)));
        }
    }

    [Fact]
    public void Encrypt_SeedFiles_StatesRewrittenWithoutRawKeys()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(JsonKeyStore.KeysFileName), $"[\"{TestKeys.Gemini(1)}\", \"{TestKeys.Gemini(2)}\"]");
        File.WriteAllText(dir.File(JsonKeyStore.StatesFileName), $"{{\"{TestKeys.Gemini(1)}\": {{\"blocked_until\": 0, \"failures\": 2, \"last_failed\": 1700000000}}}}");

        EncryptedStore.Encrypt(dir.Path, Right, Fast);

        string states = File.ReadAllText(dir.File(JsonKeyStore.StatesFileName));
        Assert.DoesNotContain("AIzaSyCANARY", states, StringComparison.Ordinal);
        Assert.Contains("apikeys-states/1", states, StringComparison.Ordinal);
        using var manager = EncryptedStore.Open(dir.Path, Right, timeProvider: new FakeTimeProvider(), protectorOptions: Fast);
        Assert.Equal(2, manager.Count);
    }

    [Fact]
    public void Encrypt_AlreadyEncrypted_ThrowsAndFileUntouched()
    {
        using var dir = new TempDirectory();
        WritePlain(dir, TestKeys.Gemini(1));
        EncryptedStore.Encrypt(dir.Path, Right, Fast);
        var before = File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName));

        var e = Assert.Throws<KeyStoreException>(() => EncryptedStore.Encrypt(dir.Path, Right, Fast));

        Assert.Contains("already encrypted", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName)));
    }

    [Fact]
    public void Decrypt_EncryptedStore_PlainJsonAgainWithHigherGeneration()
    {
        using var dir = new TempDirectory();
        WritePlain(dir, TestKeys.Gemini(1));
        EncryptedStore.Encrypt(dir.Path, Right, Fast);

        EncryptedStore.Decrypt(dir.Path, Right, Fast);

        Assert.False(EncryptedStore.IsEncrypted(dir.Path));
        string json = File.ReadAllText(dir.File(JsonKeyStore.KeysFileName));
        Assert.Contains("\"generation\": 3", json, StringComparison.Ordinal);
        using var manager = new ApiKeyManager(new JsonKeyStore(dir.Path), timeProvider: new FakeTimeProvider());
        Assert.Equal([TestKeys.Gemini(1)], manager.Keys.Select(k => k.Secret));
    }

    [Fact]
    public void ChangePassphrase_OldNoLongerOpensNewDoes()
    {
        using var dir = new TempDirectory();
        WritePlain(dir, TestKeys.Gemini(1));
        EncryptedStore.Encrypt(dir.Path, Right, Fast);
        var next = PassphraseProvider.FromValue("next passphrase");

        EncryptedStore.ChangePassphrase(dir.Path, Right, next, protectorOptions: Fast);

        Assert.Throws<KeyStoreException>(() => EncryptedStore.Open(dir.Path, Right, timeProvider: new FakeTimeProvider(), protectorOptions: Fast));
        using var manager = EncryptedStore.Open(dir.Path, next, timeProvider: new FakeTimeProvider(), protectorOptions: Fast);
        Assert.Equal([TestKeys.Gemini(1)], manager.Keys.Select(k => k.Secret));
    }

    [Fact]
    public void Load_OlderCopyPutBackWhileOpen_ThrowsReplay()
    {
        using var dir = new TempDirectory();
        using var store = new JsonKeyStore(dir.Path, new JsonKeyStoreOptions { Protector = Protector("pw") });
        var now = DateTimeOffset.UnixEpoch;
        store.UpdateKeys(_ => new KeysUpdate([new Keys.ApiKey(TestKeys.Gemini(1), now)]));
        var old = File.ReadAllBytes(store.KeysPath);
        store.UpdateKeys(keys => new KeysUpdate([.. keys, new Keys.ApiKey(TestKeys.Gemini(2), now)]));

        File.WriteAllBytes(store.KeysPath, old);
        var e = Assert.Throws<KeyStoreException>(() => store.Load());

        Assert.Equal(KeyStoreErrorKind.Decryption, e.Kind);
        Assert.Contains("older than generation 2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_BackupPutInPlaceOfKeysFile_ThrowsSwapped()
    {
        using var dir = new TempDirectory();
        using var backups = new TempDirectory();
        WritePlain(dir, TestKeys.Gemini(1));
        EncryptedStore.Encrypt(dir.Path, Right, Fast);
        string backup = backups.File("keys.backup");
        EncryptedStore.Backup(dir.Path, backup, Right, Fast);

        File.Copy(backup, dir.File(JsonKeyStore.KeysFileName), overwrite: true);
        var e = Assert.Throws<KeyStoreException>(() => EncryptedStore.Open(dir.Path, Right, timeProvider: new FakeTimeProvider(), protectorOptions: Fast));

        Assert.Contains("'backup' file, not a 'keys' file", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("AIzaSyCANARY", Encoding.Latin1.GetString(File.ReadAllBytes(backup)), StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_EncryptedBackup_KeysBackWithHigherGeneration()
    {
        using var dir = new TempDirectory();
        using var backups = new TempDirectory();
        WritePlain(dir, TestKeys.Gemini(1));
        EncryptedStore.Encrypt(dir.Path, Right, Fast);
        string backup = backups.File("keys.backup");
        EncryptedStore.Backup(dir.Path, backup, Right, Fast);
        using (var manager = EncryptedStore.Open(dir.Path, Right, timeProvider: new FakeTimeProvider(), protectorOptions: Fast))
        {
            manager.AddKey(TestKeys.Gemini(2));
        }

        EncryptedStore.Restore(dir.Path, backup, Right, Fast);

        using var restored = EncryptedStore.Open(dir.Path, Right, timeProvider: new FakeTimeProvider(), protectorOptions: Fast);
        Assert.Equal([TestKeys.Gemini(1)], restored.Keys.Select(k => k.Secret));
        Assert.True(EncryptedStore.IsEncrypted(dir.Path));
    }

    [Fact]
    public void UpdateKeys_NewDirectory_Created0700()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDirectory();
        string store = Path.Combine(dir.Path, "store");

        using (var manager = EncryptedStore.Open(store, Right, timeProvider: new FakeTimeProvider(), protectorOptions: Fast))
        {
            manager.AddKey(TestKeys.Gemini(1));
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store));
        Assert.Empty(StorePermissions.FindExposed(store));
    }

    [Fact]
    public void Open_PlainKeysFileWithAPassphrase_RefusedAndNeverWrittenInClear()
    {
        using var dir = new TempDirectory();
        WritePlain(dir, TestKeys.Gemini(1));
        byte[] before = File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName));

        var e = Assert.Throws<KeyStoreException>(() => EncryptedStore.Open(dir.Path, Right, timeProvider: new FakeTimeProvider(), protectorOptions: Fast));

        Assert.Equal(KeyStoreErrorKind.NotEncrypted, e.Kind);
        Assert.Contains("is not encrypted, but a passphrase was given", e.Message, StringComparison.Ordinal);
        Assert.Contains("apikeys encrypt", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName)));
    }

    [Fact]
    public void AddKey_EncryptedStoreReplacedByAPlainFile_RefusedAndNotRewrittenInClear()
    {
        using var dir = new TempDirectory();
        using var manager = EncryptedStore.Open(dir.Path, Right, timeProvider: new FakeTimeProvider(), protectorOptions: Fast);
        manager.AddKey(TestKeys.Gemini(1));
        EncryptedStore.Decrypt(dir.Path, Right, Fast);
        byte[] plain = File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName));

        var e = Assert.Throws<KeyStoreException>(() => manager.AddKey(TestKeys.Gemini(2)));

        Assert.Equal(KeyStoreErrorKind.NotEncrypted, e.Kind);
        Assert.Equal(plain, File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName)));
    }

    private static void WritePlain(TempDirectory dir, params string[] keys)
    {
        using var manager = new ApiKeyManager(new JsonKeyStore(dir.Path), timeProvider: new FakeTimeProvider());
        foreach (var key in keys)
        {
            manager.AddKey(key);
        }
    }
}
