using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class EncryptCommandTests
{
    private const string Passphrase = "correct horse battery staple";

    [Fact]
    public void Encrypt_PassphraseFromEnvironment_FileIsEnvelopeAndListWorks()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);

        var encrypt = CliRunner.RunEncrypted(dir.Path, WithPassphrase(Passphrase), "encrypt");
        var list = CliRunner.RunEncrypted(dir.Path, WithPassphrase(Passphrase), "list");

        Assert.Equal(0, encrypt.ExitCode);
        Assert.Equal($"Encrypted {dir.File("api_keys.json")}: keep the passphrase safe, it cannot be recovered.\n", encrypt.Out);
        byte[] file = File.ReadAllBytes(dir.File("api_keys.json"));
        Assert.True(file.AsSpan().StartsWith("APIKEYS\u0001"u8));
        Assert.DoesNotContain("CANARY", System.Text.Encoding.Latin1.GetString(file), StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(["Stored API Keys:", "1. AIza...YNQs (Active)", "2. AIza...dD4X (Active)", ""], list.Lines);
        AssertNoPassphrase(encrypt, list);
    }

    [Fact]
    public void List_WrongPassphrase_Exit1OneLineFileUnchanged()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        CliRunner.RunEncrypted(dir.Path, WithPassphrase(Passphrase), "encrypt");
        byte[] before = File.ReadAllBytes(dir.File("api_keys.json"));

        var result = CliRunner.RunEncrypted(dir.Path, WithPassphrase("wrong horse"), "list");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith($"apikeys: {dir.File("api_keys.json")}: wrong passphrase", result.Error, StringComparison.Ordinal);
        Assert.Contains("fix: give the right passphrase", result.Error);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal(before, File.ReadAllBytes(dir.File("api_keys.json")));
        Assert.DoesNotContain("wrong horse", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void EncryptPasswdDecrypt_WholeLife_OldPassphraseRefusedNewOneWorksPlainAgain()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        CliRunner.RunEncrypted(dir.Path, WithPassphrase(Passphrase), "encrypt");
        var change = WithPassphrase(Passphrase);
        change.Environment["APIKEYS_NEW_PASSPHRASE"] = "second staple words";

        var passwd = CliRunner.RunEncrypted(dir.Path, change, "passwd");
        var old = CliRunner.RunEncrypted(dir.Path, WithPassphrase(Passphrase), "list");
        var current = CliRunner.RunEncrypted(dir.Path, WithPassphrase("second staple words"), "list");
        var decrypt = CliRunner.RunEncrypted(dir.Path, WithPassphrase("second staple words"), "decrypt", "--yes");
        var plain = CliRunner.Run(dir.Path, "", "list");

        Assert.Equal(0, passwd.ExitCode);
        Assert.StartsWith("Changed the passphrase of ", passwd.Out, StringComparison.Ordinal);
        Assert.Equal(1, old.ExitCode);
        Assert.Contains("wrong passphrase", old.Error);
        Assert.Equal(0, current.ExitCode);
        Assert.Contains("2. AIza...dD4X (Active)", current.Out);
        Assert.Equal(0, decrypt.ExitCode);
        Assert.StartsWith("{", File.ReadAllText(dir.File("api_keys.json")), StringComparison.Ordinal);
        Assert.Contains(TestKeys.Ynqs, File.ReadAllText(dir.File("api_keys.json")));
        Assert.Equal(0, plain.ExitCode);
        Assert.Contains("1. AIza...YNQs (Active)", plain.Out);
        AssertNoPassphrase(passwd, old, current, decrypt, plain);
    }

    [Fact]
    public void Encrypt_PromptOnTerminal_AskedTwiceOnStderrThenAskedToOpen()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        var typing = new TestConsole($"{Passphrase}\n{Passphrase}\n") { InputTerminal = true };
        var opening = new TestConsole($"{Passphrase}\n") { InputTerminal = true };

        var encrypt = CliRunner.RunEncrypted(dir.Path, typing, "encrypt");
        var list = CliRunner.RunEncrypted(dir.Path, opening, "list", "--json");

        Assert.Equal(0, encrypt.ExitCode);
        Assert.Equal(["New passphrase (input hidden): ", "Repeat the new passphrase: "], typing.SecretPrompts);
        Assert.Equal("New passphrase (input hidden): \nRepeat the new passphrase: \n", encrypt.Error);
        Assert.Equal(0, list.ExitCode);
        Assert.Equal([$"Passphrase for {dir.Path} (input hidden): "], opening.SecretPrompts);
        Assert.StartsWith("[", list.Out, StringComparison.Ordinal);
        AssertNoPassphrase(encrypt, list);
    }

    [Fact]
    public void Encrypt_PromptAnswersDiffer_Exit1StorePlain()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        string before = File.ReadAllText(dir.File("api_keys.json"));

        var result = CliRunner.RunEncrypted(dir.Path, new TestConsole($"{Passphrase}\nsomething else\n") { InputTerminal = true }, "encrypt");

        Assert.Equal(1, result.ExitCode);
        Assert.EndsWith("apikeys: The two passphrases differ: nothing was changed.\n", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllText(dir.File("api_keys.json")));
    }

    [Fact]
    public void List_EncryptedNoPassphraseNoTerminal_Exit1NamesTheSources()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        CliRunner.RunEncrypted(dir.Path, WithPassphrase(Passphrase), "encrypt");

        var result = CliRunner.RunEncrypted(dir.Path, new TestConsole(), "list");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("apikeys: No passphrase: APIKEYS_PASSPHRASE is not set (or use --passphrase-file PATH, or run in a terminal to be asked)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Encrypt_AlreadyEncrypted_Exit1PointsToPasswd()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        CliRunner.RunEncrypted(dir.Path, WithPassphrase(Passphrase), "encrypt");

        var result = CliRunner.RunEncrypted(dir.Path, WithPassphrase(Passphrase), "encrypt");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("already encrypted (apikeys passwd", result.Error);
    }

    [Fact]
    public void Decrypt_NotConfirmed_StaysEncrypted()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        CliRunner.RunEncrypted(dir.Path, WithPassphrase(Passphrase), "encrypt");
        var console = WithPassphrase(Passphrase);

        var result = CliRunner.RunEncrypted(dir.Path, new TestConsole("n\n") { Environment = { ["APIKEYS_PASSPHRASE"] = Passphrase } }, "decrypt");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"Decrypt {dir.File("api_keys.json")}? Anyone who can read the file will read the keys. [y/N]: ", result.Out, StringComparison.Ordinal);
        Assert.Contains("Not decrypted", result.Error);
        Assert.True(File.ReadAllBytes(dir.File("api_keys.json")).AsSpan().StartsWith("APIKEYS"u8));
        Assert.Equal(0, CliRunner.RunEncrypted(dir.Path, console, "list").ExitCode);
    }

    [Fact]
    public void Passwd_PassphraseFiles_NewFileUsedAndOpenFileRefused()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        CliRunner.RunEncrypted(dir.Path, WithPassphrase(Passphrase), "encrypt");
        string current = dir.File("current.txt");
        string next = dir.File("next.txt");
        SeedStore.WriteFile(current, Passphrase + "\n");
        SeedStore.WriteFile(next, "from a file\n");
        string open = dir.File("open.txt");
        File.WriteAllText(open, "from a file\n");
        File.SetUnixFileMode(open, (UnixFileMode)0b110_100_100);

        var refused = CliRunner.RunEncrypted(dir.Path, new TestConsole(), "passwd", "--passphrase-file", current, "--new-passphrase-file", open);
        var changed = CliRunner.RunEncrypted(dir.Path, new TestConsole(), "passwd", "--passphrase-file", current, "--new-passphrase-file", next, "--new-data-key");
        var list = CliRunner.RunEncrypted(dir.Path, new TestConsole(), "--passphrase-file", next, "list");

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"chmod 600 {open}", refused.Error);
        Assert.Equal(0, changed.ExitCode);
        Assert.StartsWith("Changed the passphrase and the data key of ", changed.Out, StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        AssertNoPassphrase(refused, changed, list);
    }

    [Fact]
    public void Passwd_PlainStore_Exit1PointsToEncrypt()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);

        var result = CliRunner.RunEncrypted(dir.Path, WithPassphrase(Passphrase), "passwd");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not encrypted: apikeys encrypt", result.Error);
    }

    private static TestConsole WithPassphrase(string passphrase) => new() { Environment = { ["APIKEYS_PASSPHRASE"] = passphrase } };

    private static void AssertNoPassphrase(params CliResult[] results)
    {
        foreach (var result in results)
        {
            Assert.DoesNotContain("horse", result.Out + result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("second staple words", result.Out + result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("from a file", result.Out + result.Error, StringComparison.Ordinal);
        }
    }
}
