using System.Diagnostics;

namespace ApiKeys.Cli.Tests.Support;

/// <summary>
/// The real tool in a child process: the ApiKeys.Cli.dll built beside the tests, started with dotnet; or the binary
/// named by APIKEYS_CLI_BINARY (e.g. the NativeAOT artifacts/apikeys: APIKEYS_CLI_BINARY=$PWD/artifacts/apikeys).
/// </summary>
internal static class CliBinary
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ApiKeys.Cli.dll");

    /// <summary>A published binary to test instead of the framework-dependent build.</summary>
    public static string? Native => Environment.GetEnvironmentVariable("APIKEYS_CLI_BINARY") is { Length: > 0 } path ? Path.GetFullPath(path) : null;

    /// <summary>The program and the arguments that start the tool.</summary>
    public static string[] Launcher => Native is { } native ? [native] : ["dotnet", Dll];

    /// <summary>The shell words that start the tool on <paramref name="dir"/>.</summary>
    public static string ShellCommand(string dir, params string[] args) =>
        string.Join(' ', Launcher.Concat(["--dir", dir]).Concat(args).Select(Quote));

    public static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Runs the tool with <paramref name="input"/> on a pipe; checks the output for whole keys.</summary>
    public static CliResult Run(string dir, string input, params string[] args) => RunAs(null, dir, input, args);

    /// <summary>Runs the tool, as another user when <paramref name="user"/> is set (with setpriv; the caller is root).</summary>
    public static CliResult RunAs(string? user, string dir, string input, params string[] args) => RunAs(user, dir, input, null, args);

    /// <summary>Runs the tool with extra environment variables (a passphrase: never an argument).</summary>
    public static CliResult RunWith(IReadOnlyDictionary<string, string> environment, string dir, string input, params string[] args) =>
        RunAs(null, dir, input, environment, args);

    private static CliResult RunAs(string? user, string dir, string input, IReadOnlyDictionary<string, string>? environment, string[] args)
    {
        var start = new ProcessStartInfo(user is null ? Launcher[0] : "setpriv")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user is not null)
        {
            foreach (var a in new[] { $"--reuid={user}", $"--regid={user}", "--clear-groups", Launcher[0] })
            {
                start.ArgumentList.Add(a);
            }

            if (Native is null)
            {
                // The other user may not be able to enter the checkout: run a copy of the tool it can read.
                start.ArgumentList.Add(ApiKeys.TestSupport.StagedBinaries.PathOf("ApiKeys.Cli.dll"));
            }

            start.Environment["HOME"] = Path.GetTempPath();
            start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
        }

        foreach (var a in (user is not null && Native is null ? [] : Launcher.Skip(1)).Concat(["--dir", dir]).Concat(args))
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["NO_COLOR"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(input);
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(60_000), "the tool did not exit within 60 s");
        var result = new CliResult(process.ExitCode, stdout.Result, stderr.Result);
        TestKeys.AssertNoKey(result.Out);
        TestKeys.AssertNoKey(result.Error);
        return result;
    }
}
