using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

/// <summary>
/// A passphrase given (APIKEYS_PASSPHRASE or --passphrase-file) means an encrypted store: a plain keys file is refused by
/// every command that opens the store (exit 1, the fix naming apikeys encrypt, the files untouched), and a new store is
/// created encrypted, as the library's encrypted store does. The prompt alone never makes a store encrypted.
/// </summary>
public sealed class PassphraseGivenTests
{
    private const string Passphrase = "correct horse battery staple";

    [Theory]
    [InlineData("list")]
    [InlineData("status")]
    [InlineData("add")]
    [InlineData("add", "--stdin")]
    [InlineData("import", "--env", "GEMINI_KEY_")]
    [InlineData("remove", "1", "--yes")]
    [InlineData("enable", "1")]
    [InlineData("disable", "1")]
    [InlineData("reset", "1")]
    [InlineData("rotate", "--stdin", "--yes")]
    [InlineData("check")]
    [InlineData("backup")]
    [InlineData("init")]
    [InlineData]
    public void Command_PlainStore_Exit1NamesEncryptFilesUnchanged(params string[] args)
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        var files = Snapshot(dir.Path);
        var console = WithPassphrase($"{TestKeys.Gemini(2)}\n");
        console.Environment["GEMINI_KEY_1"] = TestKeys.Gemini(2);

        var result = CliRunner.RunEncrypted(dir.Path, console, args);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"apikeys: {dir.File("api_keys.json")} is not encrypted, but a passphrase was given", result.Error, StringComparison.Ordinal);
        Assert.Contains("; fix: encrypt it with apikeys encrypt", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.DoesNotContain("Added", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("AIza", result.Out, StringComparison.Ordinal);
        Assert.Equal(files, Snapshot(dir.Path));
    }

    [Fact]
    public void List_PlainStorePassphraseFile_Exit1NamesEncrypt()
    {
        using var dir = new TempDirectory();
        using var elsewhere = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        string file = elsewhere.File("passphrase");
        SeedStore.WriteFile(file, Passphrase + "\n");
        byte[] before = File.ReadAllBytes(dir.File("api_keys.json"));

        var result = CliRunner.RunEncrypted(dir.Path, new TestConsole(), "--passphrase-file", file, "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Contains("fix: encrypt it with apikeys encrypt", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File("api_keys.json")));
    }

    [Fact]
    public void Doctor_PlainStore_ErrorFindingNamesEncrypt()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);

        var result = CliRunner.RunEncrypted(dir.Path, WithPassphrase(), "doctor");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"error {dir.File("api_keys.json")} is not encrypted, but a passphrase was given", result.Out, StringComparison.Ordinal);
        Assert.Contains("; fix: encrypt it with apikeys encrypt", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypt_PlainStore_TheOneWayThenEveryCommandOpensIt()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);

        var encrypt = CliRunner.RunEncrypted(dir.Path, WithPassphrase(), "encrypt");
        var add = CliRunner.RunEncrypted(dir.Path, WithPassphrase($"{TestKeys.Gemini(2)}\n"), "add", "--stdin");
        var list = CliRunner.RunEncrypted(dir.Path, WithPassphrase(), "list");

        Assert.Equal(0, encrypt.ExitCode);
        Assert.Equal(0, add.ExitCode);
        Assert.Equal(["Stored API Keys:", "1. AIza...YNQs (Active)", "2. AIza...0002 (Active)", ""], list.Lines);
        AssertEncrypted(dir.File("api_keys.json"));
    }

    [Theory]
    [InlineData("add", "--stdin")]
    [InlineData("import", "--env", "GEMINI_KEY_")]
    public void AddToNewStore_CreatedEncrypted_OpensOnlyWithThePassphrase(params string[] args)
    {
        using var parent = new TempDirectory();
        string store = parent.File("store");
        var console = WithPassphrase($"{TestKeys.Gemini(1)}\n");
        console.Environment["GEMINI_KEY_1"] = TestKeys.Gemini(1);

        var add = CliRunner.RunEncrypted(store, console, args);
        var list = CliRunner.RunEncrypted(store, WithPassphrase(), "list");
        var without = CliRunner.RunEncrypted(store, new TestConsole(), "list");

        Assert.Equal(0, add.ExitCode);
        AssertEncrypted(Path.Combine(store, "api_keys.json"));
        Assert.Equal(["Stored API Keys:", "1. AIza...0001 (Active)", ""], list.Lines);
        Assert.Equal(1, without.ExitCode);
        Assert.StartsWith("apikeys: No passphrase: APIKEYS_PASSPHRASE is not set", without.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Init_NewStore_CreatedEncryptedAndSaysSo()
    {
        using var parent = new TempDirectory();
        string store = parent.File("store");

        var init = CliRunner.RunEncrypted(store, WithPassphrase(), "init");
        var list = CliRunner.RunEncrypted(store, WithPassphrase(), "list");

        Assert.Equal(0, init.ExitCode);
        Assert.StartsWith($"Created the store in {store} (api_keys.json, encrypted, mode 0600).", init.Out, StringComparison.Ordinal);
        AssertEncrypted(Path.Combine(store, "api_keys.json"));
        Assert.Equal(0, list.ExitCode);
    }

    [Fact]
    public void PromptOnly_PlainStoreOnATerminal_UsedInClearWithoutAsking()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        var console = new TestConsole($"{TestKeys.Gemini(2)}\n") { InputTerminal = true };

        var add = CliRunner.RunEncrypted(dir.Path, console, "add");

        Assert.Equal(0, add.ExitCode);
        Assert.DoesNotContain(console.SecretPrompts, p => p.StartsWith("Passphrase", StringComparison.Ordinal));
        Assert.Contains(TestKeys.Gemini(2), File.ReadAllText(dir.File("api_keys.json")), StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_PlainFileSwappedIntoEncryptedStore_RefusedThenEncryptedBackupRestored()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        var time = CliRunner.Clock();
        CliRunner.RunEncrypted(dir.Path, WithPassphrase(), "encrypt");
        CliRunner.Run(dir.Path, WithPassphrase(), time, CliRunner.CheapKdf, "backup");
        SeedStore.Write(dir.Path, [TestKeys.Gemini(9)]);
        byte[] swapped = File.ReadAllBytes(dir.File("api_keys.json"));

        var list = CliRunner.RunEncrypted(dir.Path, WithPassphrase(), "list");
        var restore = CliRunner.Run(dir.Path, WithPassphrase(), time, CliRunner.CheapKdf, "restore", "2026-01-15", "--yes");
        var after = CliRunner.RunEncrypted(dir.Path, WithPassphrase(), "list");

        Assert.Equal(1, list.ExitCode);
        Assert.Contains("if this store was encrypted, the file was replaced: restore an encrypted backup", list.Error, StringComparison.Ordinal);
        Assert.Equal(0, restore.ExitCode);
        Assert.Contains($"its bytes were kept in {dir.File("api_keys_unreadable_2026-01-15.json")}", restore.Out, StringComparison.Ordinal);
        Assert.Equal(swapped, File.ReadAllBytes(dir.File("api_keys_unreadable_2026-01-15.json")));
        AssertEncrypted(dir.File("api_keys.json"));
        Assert.Equal(["Stored API Keys:", "1. AIza...YNQs (Active)", "2. AIza...dD4X (Active)", ""], after.Lines);
    }

    [Fact]
    public void Decrypt_PassphraseGiven_NotesThatCommandsRefuseThePlainFile()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        CliRunner.RunEncrypted(dir.Path, WithPassphrase(), "encrypt");

        var decrypt = CliRunner.RunEncrypted(dir.Path, WithPassphrase(), "decrypt", "--yes");
        var list = CliRunner.RunEncrypted(dir.Path, new TestConsole(), "list");

        Assert.Equal(0, decrypt.ExitCode);
        Assert.Equal("apikeys: note: with a passphrase given (APIKEYS_PASSPHRASE or --passphrase-file), commands refuse a plain keys file: unset it to use the store.\n", decrypt.Error);
        Assert.Equal(0, list.ExitCode);
    }

    [Fact]
    public void Restore_PlainBackupPassphraseGiven_RestoredWithANote()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        var time = CliRunner.Clock();
        CliRunner.Run(dir.Path, new TestConsole(), time, "backup");

        var restore = CliRunner.Run(dir.Path, WithPassphrase(), time, CliRunner.CheapKdf, "restore", "2026-01-15", "--yes");

        Assert.Equal(0, restore.ExitCode);
        Assert.Contains("Restored 1 keys from ", restore.Out, StringComparison.Ordinal);
        Assert.Equal("apikeys: note: api_keys_2026-01-15.json is not encrypted, so the keys file is plain: apikeys encrypt encrypts it (until then, with a passphrase given, commands refuse it).\n", restore.Error);
    }

    private static TestConsole WithPassphrase(string input = "") => new(input) { Environment = { ["APIKEYS_PASSPHRASE"] = Passphrase } };

    private static void AssertEncrypted(string keysFile) =>
        Assert.True(File.ReadAllBytes(keysFile).AsSpan().StartsWith("APIKEYS\u0001"u8), $"{keysFile} is not encrypted");

    /// <summary>Every file of the store directory but the lock file, with its bytes.</summary>
    private static SortedDictionary<string, string> Snapshot(string dir) =>
        new(Directory.GetFiles(dir).Where(f => Path.GetFileName(f) != ".apikeys.lock")
            .ToDictionary(f => Path.GetFileName(f), f => Convert.ToBase64String(File.ReadAllBytes(f))), StringComparer.Ordinal);
}
