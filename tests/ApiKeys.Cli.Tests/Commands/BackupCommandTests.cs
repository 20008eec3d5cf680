using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class BackupCommandTests
{
    [Fact]
    public void Backup_TwiceTheSameDay_NeverOverwrites()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteSection5(dir.Path);
        var time = CliRunner.Clock();

        var first = CliRunner.Run(dir.Path, new TestConsole(), time, "backup");
        SeedStore.WriteFile(dir.File("api_keys.json"), $"[\"{TestKeys.Gemini(1)}\"]");
        var second = CliRunner.Run(dir.Path, new TestConsole(), time, "backup");

        Assert.Equal(0, first.ExitCode);
        Assert.Equal($"Backed up keys to {dir.File("api_keys_2026-01-15.json")}\nBacked up key states to {dir.File("api_key_states_2026-01-15.json")}\n", first.Out);
        Assert.Contains(dir.File("api_keys_2026-01-15_2.json"), second.Out);
        Assert.Contains(TestKeys.SeedKey1, File.ReadAllText(dir.File("api_keys_2026-01-15.json")));
        Assert.Contains(TestKeys.Gemini(1), File.ReadAllText(dir.File("api_keys_2026-01-15_2.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("api_keys_2026-01-15.json")));
    }

    [Fact]
    public void Backup_To_CreatesTheDirectory()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        string target = dir.File("backups");

        var result = CliRunner.Run(dir.Path, new TestConsole(), CliRunner.Clock(), "backup", "--to", target);

        Assert.Equal(0, result.ExitCode);
        Assert.True(File.Exists(Path.Combine(target, "api_keys_2026-01-15.json")));
        Assert.False(File.Exists(Path.Combine(target, "api_key_states_2026-01-15.json")));
    }

    [Fact]
    public void Backup_NoStore_Exit1()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "backup");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Nothing to back up", result.Error);
    }

    [Fact]
    public void Restore_ByDate_PutsTheBackupBackAndKeepsTheCurrentStore()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteSection5(dir.Path);
        var time = CliRunner.Clock();
        CliRunner.Run(dir.Path, new TestConsole(), time, "backup");
        CliRunner.Run(dir.Path, new TestConsole(), time, "remove", "1", "--yes");

        var result = CliRunner.Run(dir.Path, new TestConsole("y\n"), time, "restore", "2026-01-15");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("The current store was backed up to " + dir.File("api_keys_2026-01-15_2.json"), result.Out);
        Assert.Contains("Restored 2 keys from " + dir.File("api_keys_2026-01-15.json"), result.Out);
        using var manager = Library.Open(dir.Path);
        Assert.Equal([TestKeys.SeedKey1, TestKeys.SeedKey2], manager.Keys.Select(k => k.Secret));
        Assert.Equal(2, manager.GetStatuses()[0].State.Failures);
    }

    [Fact]
    public void Restore_DamagedBackup_StoreLeftAsItIs()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteSection5(dir.Path);
        SeedStore.WriteFile(dir.File("api_keys_2026-01-01.json"), "[\"broken");
        string before = File.ReadAllText(dir.File("api_keys.json"));

        var result = CliRunner.Run(dir.Path, "", "restore", dir.File("api_keys_2026-01-01.json"), "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("apikeys: Not restored: ", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(dir.File("api_keys.json")));
    }

    [Fact]
    public void BackupThenRestore_EncryptedStore_BackupEncryptedAsBackupAndKeysComeBack()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        var time = CliRunner.Clock();
        CliRunner.RunEncrypted(dir.Path, Unlocked(), "encrypt");

        var backup = CliRunner.Run(dir.Path, Unlocked(), time, CliRunner.CheapKdf, "backup");
        CliRunner.RunEncrypted(dir.Path, Unlocked(), "remove", "1", "--yes");
        var restore = CliRunner.Run(dir.Path, Unlocked("y\n"), time, CliRunner.CheapKdf, "restore", "2026-01-15");
        var list = CliRunner.RunEncrypted(dir.Path, Unlocked(), "list");

        Assert.Equal(0, backup.ExitCode);
        byte[] copy = File.ReadAllBytes(dir.File("api_keys_2026-01-15.json"));
        Assert.True(copy.AsSpan().StartsWith("APIKEYS\u0001"u8));
        Assert.True(copy.AsSpan().IndexOf("backup"u8) > 0, "the envelope's role is backup");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("api_keys_2026-01-15.json")));
        Assert.Equal(0, restore.ExitCode);
        Assert.Contains("Restored 2 keys from " + dir.File("api_keys_2026-01-15.json"), restore.Out);
        Assert.True(File.ReadAllBytes(dir.File("api_keys.json")).AsSpan().StartsWith("APIKEYS\u0001"u8));
        Assert.True(File.ReadAllBytes(dir.File("api_keys_2026-01-15_2.json")).AsSpan().StartsWith("APIKEYS\u0001"u8));
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("1. AIza...YNQs (Active)", list.Out);
        Assert.Contains("2. AIza...dD4X (Active)", list.Out);
    }

    [Fact]
    public void Restore_EncryptedBackupWrongPassphrase_Exit1StoreUntouched()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        var time = CliRunner.Clock();
        CliRunner.RunEncrypted(dir.Path, Unlocked(), "encrypt");
        CliRunner.Run(dir.Path, Unlocked(), time, CliRunner.CheapKdf, "backup");
        byte[] before = File.ReadAllBytes(dir.File("api_keys.json"));
        var wrong = new TestConsole { Environment = { ["APIKEYS_PASSPHRASE"] = "not it" } };

        var result = CliRunner.Run(dir.Path, wrong, time, CliRunner.CheapKdf, "restore", "2026-01-15", "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("wrong passphrase", result.Error);
        Assert.Equal(before, File.ReadAllBytes(dir.File("api_keys.json")));
        Assert.False(File.Exists(dir.File("api_keys_2026-01-15_2.json")));
    }

    [Fact]
    public void Restore_CurrentEncryptedKeysFileDamaged_RestoresAndKeepsTheDamagedBytes()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        var time = CliRunner.Clock();
        CliRunner.RunEncrypted(dir.Path, Unlocked(), "encrypt");
        CliRunner.Run(dir.Path, Unlocked(), time, CliRunner.CheapKdf, "backup");
        byte[] damaged = File.ReadAllBytes(dir.File("api_keys.json"));
        damaged[^5] ^= 0xFF;
        File.WriteAllBytes(dir.File("api_keys.json"), damaged);
        var before = CliRunner.RunEncrypted(dir.Path, Unlocked(), "list");

        var restore = CliRunner.Run(dir.Path, Unlocked(), time, CliRunner.CheapKdf, "restore", "2026-01-15", "--yes");
        var list = CliRunner.RunEncrypted(dir.Path, Unlocked(), "list");

        Assert.Equal(1, before.ExitCode);
        Assert.Contains("restore a backup", before.Error);
        Assert.Equal(0, restore.ExitCode);
        Assert.Contains($"its bytes were kept in {dir.File("api_keys_unreadable_2026-01-15.json")}", restore.Out);
        Assert.Equal(damaged, File.ReadAllBytes(dir.File("api_keys_unreadable_2026-01-15.json")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dir.File("api_keys_unreadable_2026-01-15.json")));
        Assert.Contains("Restored 2 keys from " + dir.File("api_keys_2026-01-15.json"), restore.Out);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("2. AIza...dD4X (Active)", list.Out);
    }

    private static TestConsole Unlocked(string input = "") => new(input) { Environment = { ["APIKEYS_PASSPHRASE"] = "backup passphrase" } };
}
