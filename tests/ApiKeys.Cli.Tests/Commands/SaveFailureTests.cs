using System.Text.Json;
using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

/// <summary>
/// Every command that changes the store, on a store it cannot write (<c>.apikeys.lock</c> is a directory): it never says
/// it did what is not on disk; it exits 1, says what was not done, that nothing was changed on disk, and the fix.
/// </summary>
public sealed class SaveFailureTests
{
    [Theory]
    [InlineData("", "add", "--stdin")]
    [InlineData("", "import", "--env", "GEMINI_KEY_")]
    [InlineData("", "disable", "1")]
    [InlineData("", "reset", "1")]
    [InlineData("", "remove", "1", "--yes")]
    [InlineData("", "rotate", "--stdin", "--yes")]
    [InlineData("prompt", "add")]
    public void Command_LockFileIsADirectory_Exit1NotDoneNothingChanged(string prompt, params string[] args)
    {
        using var dir = Locked(out byte[] before);
        var console = new TestConsole(TestKeys.Gemini(2) + "\n") { Environment = { ["GEMINI_KEY_1"] = TestKeys.Gemini(2) } };

        var result = CliRunner.Run(dir.Path, console, null, args);

        Assert.Equal(1, result.ExitCode);
        Assert.DoesNotContain("Added AIza", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("successfully", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Disabled key", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Reset key", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Removed key", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Rotated", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING - Key", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was changed on disk", result.Error);
        Assert.DoesNotContain("nothing was changed; nothing was changed on disk", result.Error, StringComparison.Ordinal);
        Assert.Contains($"fix: {dir.File(".apikeys.lock")} is a directory where the store keeps a file", result.Error);
        Assert.Equal(before, File.ReadAllBytes(dir.File("api_keys.json")));
        Assert.Equal(prompt.Length > 0, result.Out.StartsWith("Enter API key", StringComparison.Ordinal));
    }

    [Fact]
    public void AddStdin_LockFileIsADirectory_EachKeyNotAddedEvenWhenRepeated()
    {
        using var dir = Locked(out _);

        var result = CliRunner.Run(dir.Path, $"{TestKeys.Gemini(2)}\n{TestKeys.Gemini(2)}\n", "add", "--stdin");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Not added AIza...0002 (line 1): ", result.Lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Not added AIza...0002 (line 2): ", result.Lines[1], StringComparison.Ordinal);
        Assert.Equal("0 added, 0 skipped as duplicate, 0 refused as malformed, 2 not saved.", result.Lines[2]);
        Assert.StartsWith("apikeys: 2 keys were not added (see above): ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void AddStdinJson_LockFileIsADirectory_OutcomeFailedNotAdded()
    {
        using var dir = Locked(out _);

        var result = CliRunner.Run(dir.Path, TestKeys.Gemini(2) + "\n", "add", "--stdin", "--json");

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        Assert.Equal(0, json.RootElement.GetProperty("added").GetInt32());
        Assert.Equal(1, json.RootElement.GetProperty("notSaved").GetInt32());
        var key = Assert.Single(json.RootElement.GetProperty("keys").EnumerateArray());
        Assert.Equal("failed", key.GetProperty("outcome").GetString());
        Assert.Contains(".apikeys.lock", key.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Console_AddWithLockFileADirectory_ErrorLineNoSuccess()
    {
        using var dir = Locked(out byte[] before);

        var result = CliRunner.Run(dir.Path, $"1\n{TestKeys.Gemini(2)}\n5\n");

        Assert.Equal(0, result.ExitCode);
        Assert.DoesNotContain("successfully", result.Out, StringComparison.Ordinal);
        Assert.StartsWith("ERROR - Key not added (AIza...0002): ", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was changed on disk", result.Error);
        Assert.Equal(before, File.ReadAllBytes(dir.File("api_keys.json")));
    }

    [Theory]
    [InlineData("Key not added (AIza...0002)", "add")]
    [InlineData("Not added AIza...0002 (line 1)", "add", "--stdin")]
    [InlineData("Not disabled (AIza...0001)", "disable", "1")]
    public void Command_LockFileIsASymbolicLink_NotDoneTargetNotCreated(string notDone, params string[] args)
    {
        using var dir = Locked(out byte[] before);
        using var elsewhere = new TempDirectory();
        string target = elsewhere.File("not-the-store");
        Directory.Delete(dir.File(".apikeys.lock"));
        File.CreateSymbolicLink(dir.File(".apikeys.lock"), target);

        var result = CliRunner.Run(dir.Path, TestKeys.Gemini(2) + "\n", args);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{notDone}: {dir.File(".apikeys.lock")} is a symbolic link", result.Out + result.Error, StringComparison.Ordinal);
        Assert.Contains($"nothing was changed on disk; fix: rm {dir.File(".apikeys.lock")} (a link; the store creates its own file there)", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(target), "the link's target was created");
        Assert.Equal(before, File.ReadAllBytes(dir.File("api_keys.json")));
    }

    /// <summary>A store of one key whose lock file is a directory: every write fails, even for root.</summary>
    private static TempDirectory Locked(out byte[] keys)
    {
        var dir = new TempDirectory();
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_000_000);
        CliRunner.Run(dir.Path, TestKeys.Gemini(1) + "\n", "add", "--stdin");
        File.Delete(dir.File(".apikeys.lock"));
        Directory.CreateDirectory(dir.File(".apikeys.lock"));
        keys = File.ReadAllBytes(dir.File("api_keys.json"));
        return dir;
    }
}
