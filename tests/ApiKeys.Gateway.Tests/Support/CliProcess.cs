using System.Diagnostics;

namespace ApiKeys.Gateway.Tests.Support;

/// <summary>The <c>apikeys</c> tool as a real process (<c>dotnet ApiKeys.Cli.dll</c>, built beside the tests).</summary>
public static class CliProcess
{
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(string dir, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { GatewayProcess.CliDll, "--dir", dir }.Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
