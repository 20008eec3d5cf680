using System.Diagnostics;
using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.EndToEnd;

/// <summary>The real tool in a child process, with pipes: what scripts and CI see.</summary>
public sealed class ProcessTests
{
    [Fact]
    public void AddStdinThenList_RealProcess_StoreSharedWithTheLibrary()
    {
        using var dir = new TempDirectory();

        var add = CliBinary.Run(dir.Path, $"{TestKeys.Gemini(1)}\n{TestKeys.Gemini(2)}\n", "add", "--stdin");
        using (var manager = Library.Open(dir.Path))
        {
            manager.UpdateKeyStatus(TestKeys.Gemini(2), success: false);

            // Flushed first: at this base a key change (Disable) drops another key's unsaved state (core issue, see the report).
            manager.Flush();
            manager.Disable(TestKeys.Gemini(1));
        }

        var list = CliBinary.Run(dir.Path, "", "list");
        var status = CliBinary.Run(dir.Path, "", "status", "2");

        Assert.Equal(0, add.ExitCode);
        Assert.Equal("Stored API Keys:\n1. AIza...0001 (Disabled) disabled by hand; enable it to use it again\n2. AIza...0002 (Active)\n", list.Out);
        Assert.Contains("  Failures: 1\n", status.Out);
    }

    [Fact]
    public void AddKeyArgument_RealProcess_Exit2AndKeyNotEchoed()
    {
        using var dir = new TempDirectory();

        var result = CliBinary.Run(dir.Path, "", "add", TestKeys.Gemini(5));

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void AddFromAPipeWithoutStdinOption_ReadsOneLine()
    {
        using var dir = new TempDirectory();

        var result = CliBinary.Run(dir.Path, TestKeys.Ynqs + "\n", "add");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("Enter API key (input hidden): \nKey added successfully! (Partial: AIza...YNQs)\n", result.Out);
    }

    [Fact]
    public void CorruptStoreWithVerbose_StackTraceOnlyThen()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteFile(dir.File("api_keys.json"), "[");

        var plain = CliBinary.Run(dir.Path, "", "list");
        var verbose = CliBinary.Run(dir.Path, "", "list", "--verbose");

        Assert.Equal(1, plain.ExitCode);
        Assert.Single(plain.Error.TrimEnd('\n').Split('\n'));
        Assert.Equal(1, verbose.ExitCode);
        Assert.Contains("KeyStoreException", verbose.Error);
    }

    [Theory]
    [InlineData("add")]
    [InlineData("add", "--stdin")]
    [InlineData("add", "--stdin", "--json")]
    [InlineData("disable", "1")]
    [InlineData("remove", "1", "--yes")]
    public void Command_ReadOnlyStoreForThisUser_Exit1NotDoneNothingChanged(params string[] args)
    {
        // Root ignores file modes: the tool runs as nobody, which needs root and setpriv (the test environment has both).
        Assert.True(Environment.UserName == "root" && File.Exists("/usr/bin/setpriv"), "this test runs the tool as nobody: run it as root with setpriv installed");
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Gemini(1)]);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(dir.File("api_keys.json"), (UnixFileMode)0b110_100_100);
        File.WriteAllText(dir.File(".apikeys.lock"), "");
        File.SetUnixFileMode(dir.File(".apikeys.lock"), (UnixFileMode)0b110_110_110);
        File.SetUnixFileMode(Path.GetDirectoryName(dir.Path)!, (UnixFileMode)0b111_111_111);
        byte[] before = File.ReadAllBytes(dir.File("api_keys.json"));

        var result = CliBinary.RunAs("65534", dir.Path, TestKeys.Gemini(2) + "\n", ["--allow-shared", .. args]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Failed to save keys: Permission denied (", result.Error);
        Assert.Contains("nothing was changed on disk; fix: ", result.Error);
        Assert.DoesNotContain("Key added successfully", result.Out);
        Assert.DoesNotContain("Added AIza", result.Out);
        Assert.DoesNotContain("\"outcome\": \"added\"", result.Out);
        Assert.DoesNotContain("Disabled key", result.Out);
        Assert.DoesNotContain("Removed key", result.Out);
        Assert.Equal(before, File.ReadAllBytes(dir.File("api_keys.json")));
    }

    [Fact]
    public void List_OutputAppendedToAFile_WrittenAfterWhatWasThere()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        string log = dir.File("log.txt");
        File.WriteAllText(log, "a line written before\n");
        var start = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"{CliBinary.ShellCommand(dir.Path, "list")} >> {CliBinary.Quote(log)} 2>&1");
        start.Environment["NO_COLOR"] = "1";

        using (var process = Process.Start(start)!)
        {
            Assert.True(process.WaitForExit(60_000));
            Assert.Equal(0, process.ExitCode);
        }

        Assert.Equal("a line written before\nStored API Keys:\n1. AIza...YNQs (Active)\n", File.ReadAllText(log));
    }
}
