using ApiKeys.Security;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Cli.Tests.Support;

/// <summary>Runs a command line in process; every result is checked for whole keys.</summary>
internal static class CliRunner
{
    public static CliResult Run(string dir, string input, params string[] args) => Run(dir, new TestConsole(input), null, args);

    public static CliResult Run(string dir, TestConsole console, TimeProvider? time, params string[] args) => Run(dir, console, time, (PassphraseProtectorOptions?)null, args);

    /// <summary>
    /// Key derivation at 1,000 iterations instead of 600,000, so a test can encrypt and open a store many times; the tool
    /// itself has no way to lower it (the real-process and terminal tests pay the full cost).
    /// </summary>
    public static PassphraseProtectorOptions CheapKdf => new() { Iterations = 1_000, MinIterations = 1_000 };

    /// <summary>Runs a command line on an encrypted store with <see cref="CheapKdf"/>.</summary>
    public static CliResult RunEncrypted(string dir, TestConsole console, params string[] args) => Run(dir, console, null, CheapKdf, args);

    /// <summary>Runs a command line with a clock and key derivation parameters.</summary>
    public static CliResult Run(string dir, TestConsole console, TimeProvider? time, PassphraseProtectorOptions? kdf, params string[] args)
    {
        string[] all = dir.Length == 0 ? args : ["--dir", dir, .. args];
        int exit = CliApp.Run(all, console, time, kdf);
        var result = new CliResult(exit, console.StandardOutput, console.StandardError);
        TestKeys.AssertNoKey(result.Out);
        TestKeys.AssertNoKey(result.Error);
        return result;
    }

    /// <summary>A fake clock at a fixed instant, local time UTC (so local times in assertions are predictable).</summary>
    public static FakeTimeProvider Clock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 15, 12, 0, 0, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        return time;
    }
}

/// <summary>What a command did.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] Lines => Out.Replace("\r", "", StringComparison.Ordinal).Split('\n');
}
