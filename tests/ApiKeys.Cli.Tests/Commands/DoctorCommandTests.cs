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

    [Fact]
    public void Doctor_StoreErrorQuotingAKey_KeyMaskedInTextAndJson()
    {
        using var dir = new TempDirectory();
        CliRunner.Run(dir.Path, TestKeys.Ynqs + "\n", "add", "--stdin");
        string keys = File.ReadAllText(dir.File("api_keys.json"));
        SeedStore.WriteFile(dir.File("api_keys.json"), keys.Replace("\"provider\": \"gemini\"", $"\"provider\": \"{TestKeys.Dd4x}\"", StringComparison.Ordinal));

        // CliRunner fails the test if a whole key appears in either output.
        var text = CliRunner.Run(dir.Path, "", "doctor");
        var json = CliRunner.Run(dir.Path, "", "doctor", "--json");

        Assert.Equal(1, text.ExitCode);
        Assert.Contains("unknown provider", text.Out);
        Assert.Contains("AIza...dD4X", text.Out);
        Assert.Contains("unknown provider", json.Out);
    }

    [Fact]
    public void DoctorFix_LinkToAFileOutsideTheStore_TargetLeftAsItIsAndReported()
    {
        using var dir = new TempDirectory();
        using var outside = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
        string target = outside.File("shared.txt");
        File.WriteAllText(target, "not the store's");
        File.SetUnixFileMode(target, (UnixFileMode)0b110_100_100);
        File.CreateSymbolicLink(dir.File("api_keys_2026-01-01.json"), target);

        var fix = CliRunner.Run(dir.Path, "", "doctor", "--fix");

        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(target));
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(dir.Path));
        Assert.Contains($"apikeys: left {dir.File("api_keys_2026-01-01.json")} as it is: it is a symbolic link to {target}", fix.Error);
        Assert.Contains($"warn  {dir.File("api_keys_2026-01-01.json")} is a symbolic link to {target}", fix.Out);
    }

    [Fact]
    public void DoctorFix_StoreDirectoryIsALink_NothingChangedThroughIt()
    {
        using var parent = new TempDirectory();
        string real = parent.File("real");
        Directory.CreateDirectory(real);
        SeedStore.Write(real, [TestKeys.Ynqs]);
        File.SetUnixFileMode(real, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(real, "api_keys.json"), (UnixFileMode)0b110_100_100);
        string link = parent.File("link");
        Directory.CreateSymbolicLink(link, real);

        var fix = CliRunner.Run(link, "", "doctor", "--fix");

        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(real));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(Path.Combine(real, "api_keys.json")));
        Assert.Contains($"apikeys: left {link} and its files as they are: it is a symbolic link to {real}", fix.Error);
        Assert.Contains($"fix: apikeys doctor --fix --dir {real}", fix.Error);
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
