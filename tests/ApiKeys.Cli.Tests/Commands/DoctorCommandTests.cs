using System.Diagnostics;
using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class DoctorCommandTests
{
    [Fact]
    public void Doctor_LooseModesAndFewKeys_EachWithItsFix()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(dir.File("api_keys.json"), (UnixFileMode)0b110_100_100);

        var result = CliRunner.Run(dir.Path, "", "doctor");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"warn  {dir.Path} is open to group or others (mode 0755); fix: chmod 700 {dir.Path}", result.Out);
        Assert.Contains($"warn  {dir.File("api_keys.json")} is open to group or others (mode 0644); fix: chmod 600 {dir.File("api_keys.json")}", result.Out);
        Assert.Contains("warn  only 1 usable key of 1: the seed advises at least 3 active keys; fix: apikeys add", result.Out);
    }

    [Fact]
    public void Doctor_HealthyStore_Exit0()
    {
        using var dir = new TempDirectory();
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_000_000);
        CliRunner.Run(dir.Path, $"{TestKeys.Gemini(1)}\n{TestKeys.Gemini(2)}\n{TestKeys.Gemini(3)}\n", "add", "--stdin");

        var result = CliRunner.Run(dir.Path, "", "doctor");

        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("No problems found.\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Doctor_OldKeys_RotateQuarterly()
    {
        using var dir = new TempDirectory();
        var time = CliRunner.Clock();
        CliRunner.Run(dir.Path, new TestConsole(TestKeys.Gemini(1) + "\n"), time, "add", "--stdin");
        time.Advance(TimeSpan.FromDays(91));

        var result = CliRunner.Run(dir.Path, new TestConsole(), time, "doctor");

        Assert.Contains("warn  key 1. AIza...0001 was added 91 days ago: rotate keys quarterly; fix: create a new key, apikeys add it, then apikeys remove 1", result.Out);
    }

    [Fact]
    public void Doctor_UnreadableStore_ErrorWithFix()
    {
        using var dir = new TempDirectory();
        SeedStore.WriteFile(dir.File("api_keys.json"), "{");

        var result = CliRunner.Run(dir.Path, "", "doctor", "--json");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("\"level\": \"error\"", result.Out);
        Assert.Contains("restore a backup", result.Out);
    }

    [Fact]
    public void Doctor_StoreInGitWorkTreeWithoutIgnore_WarnsThenInitFixesIt()
    {
        using var dir = new TempDirectory();
        Git(dir.Path, "init", "-q");
        string store = dir.File("config");
        Directory.CreateDirectory(store);
        SeedStore.Write(store, [TestKeys.Ynqs]);

        var before = CliRunner.Run(store, "", "doctor");
        CliRunner.Run(store, "", "init");
        var after = CliRunner.Run(store, "", "doctor");

        Assert.Contains($"is inside the git work tree {dir.Path} and api_keys.json is not ignored", before.Out);
        Assert.Contains("api_keys.json is ignored by git", after.Out);
    }

    private static void Git(string dir, params string[] args)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = dir };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
