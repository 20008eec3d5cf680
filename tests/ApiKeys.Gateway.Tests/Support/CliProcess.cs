using System.Diagnostics;

namespace ApiKeys.Gateway.Tests.Support;

/// <summary>The <c>apikeys</c> tool as a real process (<see cref="GatewayProcess.CliLauncher"/>).</summary>
public static class CliProcess
{
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(string dir, params string[] args)
    {
        var launcher = GatewayProcess.CliLauncher;
        var info = new ProcessStartInfo(launcher[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in launcher.Skip(1).Concat(["--dir", dir]).Concat(args))
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
