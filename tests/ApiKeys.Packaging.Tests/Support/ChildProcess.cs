using System.Diagnostics;

namespace ApiKeys.Packaging.Tests.Support;

/// <summary>What a child process did.</summary>
internal sealed record ProcessResult(string CommandLine, int ExitCode, string Out, string Error)
{
    /// <summary>Fails with the command line and both outputs unless the process exited with 0.</summary>
    public ProcessResult AssertSuccess()
    {
        Assert.True(ExitCode == 0, $"{CommandLine} exited with {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}");
        return this;
    }
}

/// <summary>Runs a real process (dotnet, the installed tool, scripts) with a clean environment; every output is checked for whole keys.</summary>
internal static class ChildProcess
{
    /// <summary>A guard against a hung child only (a restore waiting on the network): far above any normal run.</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(10);

    public static async Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        string? standardInput = null, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Clean(start.Environment);
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }

        string commandLine = $"{fileName} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {commandLine}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync().WaitAsync(HangGuard);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var result = new ProcessResult(commandLine, process.ExitCode, await stdout, await stderr);
        TestKeys.AssertNoKey(result.Out);
        TestKeys.AssertNoKey(result.Error);
        return result;
    }

    /// <summary>
    /// What the test host inherits from `dotnet test` (MSBuild's own variables) would steer a nested build; the store's
    /// variables would send the tool elsewhere. Colours off, no first-run banners.
    /// </summary>
    private static void Clean(IDictionary<string, string?> environment)
    {
        foreach (string name in environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("APIKEYS_", StringComparison.Ordinal)
                || name.StartsWith("GEMINI_KEY_", StringComparison.Ordinal))
            {
                environment.Remove(name);
            }
        }

        environment["NO_COLOR"] = "1";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
    }
}
