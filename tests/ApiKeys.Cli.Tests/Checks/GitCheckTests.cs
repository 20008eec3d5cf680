using System.Diagnostics;
using ApiKeys.Cli.Tests.Support;

namespace ApiKeys.Cli.Tests.Checks;

/// <summary>The doctor's git check in the real tool, with a <c>git</c> first on PATH that records its environment and runs the real one.</summary>
public sealed class GitCheckTests
{
    [Fact]
    public void Doctor_GitRun_GetsNeitherThePassphraseNorKeysNorGitDir()
    {
        using var dir = new TempDirectory();
        using var bin = new TempDirectory();
        Run(RealGit(), dir.Path, "init", "-q");
        string store = dir.File("store");
        Directory.CreateDirectory(store);
        File.SetUnixFileMode(store, (UnixFileMode)0b111_000_000);
        SeedStore.Write(store, [TestKeys.Ynqs]);
        string seen = bin.File("git-environment.txt");
        File.WriteAllText(bin.File("git"), $"#!/bin/sh\nenv >> '{seen}'\nexec '{RealGit()}' \"$@\"\n");
        File.SetUnixFileMode(bin.File("git"), (UnixFileMode)0b111_101_101);
        var environment = new Dictionary<string, string>
        {
            ["PATH"] = $"{bin.Path}:{Environment.GetEnvironmentVariable("PATH")}",
            ["APIKEYS_PASSPHRASE"] = "correct horse battery staple",
            ["APIKEYS_NEW_PASSPHRASE"] = "another horse battery staple",
            ["GEMINI_KEY_1"] = TestKeys.Gemini(1),
            ["GIT_DIR"] = bin.Path,
        };

        var result = CliBinary.RunWith(environment, store, "", "doctor");

        string gitEnvironment = File.ReadAllText(seen);
        Assert.Contains($"PATH={bin.Path}:", gitEnvironment);
        Assert.DoesNotContain("horse battery", gitEnvironment, StringComparison.Ordinal);
        Assert.DoesNotContain("CANARY", gitEnvironment, StringComparison.Ordinal);
        Assert.DoesNotContain("GIT_DIR", gitEnvironment, StringComparison.Ordinal);
        Assert.Contains($"is inside the git work tree {dir.Path} and api_keys.json is not ignored", result.Out);
    }

    private static string RealGit() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, "git")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("git is not installed (scripts/install-deps.sh installs it)");

    private static void Run(string program, string dir, params string[] args)
    {
        var start = new ProcessStartInfo(program) { WorkingDirectory = dir };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
