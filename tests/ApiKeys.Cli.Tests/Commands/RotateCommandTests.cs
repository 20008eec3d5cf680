using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class RotateCommandTests
{
    [Fact]
    public void Rotate_StdinConfirmedOnTerminal_ReplacesKeysAndClearsStates()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteSection5(dir.Path);
        var console = new TestConsole($"{TestKeys.Gemini(1)}\n{TestKeys.Gemini(2)}\n{TestKeys.Gemini(3)}\n");
        console.TerminalAnswers.Enqueue(true);

        var result = CliRunner.Run(dir.Path, console, null, "rotate", "--stdin");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Rotated: 3 keys stored, every state cleared.\n", result.Out);
        using var manager = Library.Open(dir.Path);
        Assert.Equal([TestKeys.Gemini(1), TestKeys.Gemini(2), TestKeys.Gemini(3)], manager.Keys.Select(k => k.Secret));
        Assert.All(manager.GetStatuses(), s => Assert.Equal(0, s.State.Failures));
    }

    [Fact]
    public void Rotate_NoTerminalNoYes_UsageErrorNothingChanged()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteSection5(dir.Path);
        string before = File.ReadAllText(dir.File("api_keys.json"));

        var result = CliRunner.Run(dir.Path, TestKeys.Gemini(1) + "\n", "rotate", "--stdin");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("pass --yes", result.Error);
        Assert.Equal(before, File.ReadAllText(dir.File("api_keys.json")));
    }

    [Fact]
    public void Rotate_MalformedLine_NothingRotated()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteSection5(dir.Path);

        var result = CliRunner.Run(dir.Path, $"{TestKeys.Gemini(1)}\nAIzaBroken\n", "rotate", "--stdin", "--yes");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("apikeys: Nothing rotated: malformed keys on line 2.\n", result.Error);
        Assert.Equal(2, Library.Open(dir.Path).Keys.Count);
    }

    [Fact]
    public void Rotate_WithoutStdin_UsageError()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "rotate");

        Assert.Equal(2, result.ExitCode);
    }
}
