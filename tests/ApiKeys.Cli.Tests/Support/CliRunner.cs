using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Cli.Tests.Support;

/// <summary>Runs a command line in process; every result is checked for whole keys.</summary>
internal static class CliRunner
{
    public static CliResult Run(string dir, string input, params string[] args) => Run(dir, new TestConsole(input), null, args);

    public static CliResult Run(string dir, TestConsole console, TimeProvider? time, params string[] args)
    {
        string[] all = dir.Length == 0 ? args : ["--dir", dir, .. args];
        int exit = CliApp.Run(all, console, time);
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
