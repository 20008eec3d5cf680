using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class ConsoleCommandTests
{
    [Fact]
    public void Run_SeedAddSession_PrintsSeedLines()
    {
        using var dir = new TempDirectory();
        var console = new TestConsole($"1\n{TestKeys.Ynqs}\n5\n");

        var result = CliRunner.Run(dir.Path, console, null);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("API Key Management Console\n1. Add new API Key\n2. List stored API Keys\n3. Remove API Key\n4. View Key Statuses\n5. Exit\nEnter your choice (1-5): ", result.Out);
        Assert.Contains("Enter API key (input hidden): \nKey added successfully! (Partial: AIza...YNQs)\n", result.Out);
        Assert.Equal(["Enter API key (input hidden): "], console.SecretPrompts);
    }

    [Fact]
    public void Run_BadChoice_Reprompts()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "9\nabc\n5\n");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(3, result.Out.Split("Enter your choice (1-5): ").Length - 1);
        Assert.Equal(1, result.Out.Split("API Key Management Console").Length - 1);
        Assert.Contains("Invalid choice. Please enter a number from 1 to 5.", result.Out);
    }

    [Fact]
    public void Run_EndOfInput_LeavesCleanly()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.False(File.Exists(dir.File("api_keys.json")));
    }

    [Fact]
    public void Run_DuplicateKey_Refused()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);

        var result = CliRunner.Run(dir.Path, $"1\n{TestKeys.Ynqs}\n5\n");

        Assert.Contains("Key already exists (AIza...YNQs).", result.Out);
        Assert.Single(Library.Open(dir.Path).Keys);
    }

    [Fact]
    public void Run_UnknownFormat_AddedOnlyAfterConfirmation()
    {
        using var dir = new TempDirectory();

        var refused = CliRunner.Run(dir.Path, "1\nplainkeyofsomeapi123456\nn\n5\n");
        var accepted = CliRunner.Run(dir.Path, "1\nplainkeyofsomeapi123456\ny\n5\n");

        Assert.Contains("Unknown key format: not a Gemini, OpenAI or Anthropic key. Add it anyway? [y/N]: ", refused.Out);
        Assert.Contains("Not added.", refused.Out);
        Assert.Contains("Key added successfully! (Partial: plai...3456)", accepted.Out);
        using var manager = Library.Open(dir.Path);
        Assert.Single(manager.Keys);
    }

    [Fact]
    public void Run_MalformedGeminiKey_RefusedWithTheSeedAdvice()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "1\nAIzaSyTooShort\n5\n");

        Assert.Contains("Invalid key format: a Google API key is 39 characters starting with AIza.", result.Out);
        Assert.False(File.Exists(dir.File("api_keys.json")));
    }

    [Fact]
    public void Run_SeedRemoveSession_ConfirmsWithMaskThenRemoves()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);

        var result = CliRunner.Run(dir.Path, "3\n2\ny\n5\n");

        Assert.Contains("Enter key number to remove: Remove key 2 (AIza...dD4X)? [y/N]: Removed key: ...dD4X\n", result.Out);
        using var manager = Library.Open(dir.Path);
        Assert.Equal([TestKeys.Ynqs], manager.Keys.Select(k => k.Secret));
    }

    [Fact]
    public void Run_RemoveNotConfirmed_KeepsKey()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);

        var result = CliRunner.Run(dir.Path, "3\n2\nn\n3\n7\n5\n");

        Assert.Contains("Not removed.", result.Out);
        Assert.Contains("Invalid key number: enter a number from 1 to 2.", result.Out);
        Assert.Equal(2, Library.Open(dir.Path).Keys.Count);
    }

    [Fact]
    public void Run_SeedStatusSession_NeverBlockedSaysNotBlocked()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);

        var result = CliRunner.Run(dir.Path, "4\n5\n");

        Assert.Contains("Key AIza...YNQs:\n  Failures: 0\n  Blocked until: Not blocked\n  Last failed: Never\n", result.Out);
    }

    [Fact]
    public void Run_SeedListSession_BlockedKeyWithTimeLeft()
    {
        using var dir = new TempDirectory();
        var time = CliRunner.Clock();
        double until = time.GetUtcNow().AddMinutes(5).ToUnixTimeSeconds();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x], (TestKeys.Dd4x, until, 3, until - 300));

        var result = CliRunner.Run(dir.Path, new TestConsole("2\n5\n"), time);

        Assert.Contains("Stored API Keys:\n1. AIza...YNQs (Active)\n2. AIza...dD4X (Blocked) until Thu Jan 15 12:05:00 2026 (5 min left)\n", result.Out);
    }
}
