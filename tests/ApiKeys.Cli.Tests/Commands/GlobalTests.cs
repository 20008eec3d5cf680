using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class GlobalTests
{
    [Fact]
    public void Run_UnknownCommand_UsageErrorOneLine()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "lst");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("apikeys: Unrecognized command or argument 'lst' (see apikeys --help)\n", result.Error);
    }

    [Fact]
    public void Run_PassphraseTypedAsAnOption_NotEchoedInTheError()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "list", "--passphrase", "correct-horse-battery");

        Assert.Equal(2, result.ExitCode);
        Assert.DoesNotContain("correct-horse-battery", result.Error, StringComparison.Ordinal);
        Assert.Contains("'corr...tery'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_KeyTypedAsStrayArgument_MaskedInTheError()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "list", TestKeys.Gemini(7));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("AIza...0007", result.Error);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("status")]
    [InlineData("status", "1", "--why")]
    [InlineData("remove", "1", "--yes")]
    [InlineData("disable", "1")]
    [InlineData("check")]
    [InlineData("backup")]
    [InlineData("encrypt")]
    [InlineData("decrypt", "--yes")]
    [InlineData("passwd")]
    public void Command_DirThatDoesNotExist_Exit1NoStoreAndNothingCreated(params string[] args)
    {
        using var parent = new TempDirectory();
        string missing = parent.File("typo");
        var console = new TestConsole { Environment = { ["APIKEYS_PASSPHRASE"] = "a passphrase", ["APIKEYS_NEW_PASSPHRASE"] = "another one" } };

        var result = CliRunner.Run(missing, console, null, args);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.StartsWith($"apikeys: no store at {missing}; run apikeys init or add a key", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Theory]
    [InlineData("add", "--stdin")]
    [InlineData("import", "--env", "GEMINI_KEY_")]
    [InlineData("rotate", "--stdin", "--yes")]
    public void Command_ThatCreatesTheStore_DirThatDoesNotExist_Created(params string[] args)
    {
        using var parent = new TempDirectory();
        string missing = parent.File("new");
        var console = new TestConsole(TestKeys.Gemini(1) + "\n") { Environment = { ["GEMINI_KEY_1"] = TestKeys.Gemini(1) } };

        var result = CliRunner.Run(missing, console, null, args);

        Assert.Equal(0, result.ExitCode);
        using var manager = Library.Open(missing);
        Assert.Single(manager.Keys);
    }

    [Fact]
    public void Run_KeyInAnyOptionValue_RefusedBeforeTheCommandRuns()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "check", "--base-url", $"https://proxy.example/?key={TestKeys.Gemini(3)}");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("apikeys: refusing a key in --base-url (https://proxy.example/?key=AIza...0003)", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("add")]
    [InlineData("list")]
    [InlineData("remove")]
    [InlineData("status")]
    [InlineData("enable")]
    [InlineData("disable")]
    [InlineData("reset")]
    [InlineData("rotate")]
    [InlineData("import")]
    [InlineData("backup")]
    [InlineData("restore")]
    [InlineData("doctor")]
    [InlineData("init")]
    public void Help_EveryCommand_Exit0(string command)
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", command, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"apikeys {command}", result.Out);
    }

    [Fact]
    public void Enable_DisabledKey_ActiveAgain()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        CliRunner.Run(dir.Path, "", "disable", "1");

        var enable = CliRunner.Run(dir.Path, "", "enable", "YNQs");
        var list = CliRunner.Run(dir.Path, "", "list");

        Assert.Equal("Enabled key: AIza...YNQs\n", enable.Out);
        Assert.Contains("1. AIza...YNQs (Active)", list.Out);
    }

    [Fact]
    public void Reset_CoolingKey_ActiveAgain()
    {
        using var dir = new TempDirectory();
        var time = CliRunner.Clock();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        using (var manager = Library.Open(dir.Path, time))
        {
            for (int i = 0; i < 3; i++)
            {
                manager.UpdateKeyStatus(TestKeys.Ynqs, success: false);
            }
        }

        var reset = CliRunner.Run(dir.Path, new TestConsole(), time, "reset", "1");
        var list = CliRunner.Run(dir.Path, new TestConsole(), time, "list");

        Assert.Equal("Reset key: AIza...YNQs\n", reset.Out);
        Assert.Contains("1. AIza...YNQs (Active)", list.Out);
    }
}
