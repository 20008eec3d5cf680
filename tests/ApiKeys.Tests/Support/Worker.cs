using System.Diagnostics;

namespace ApiKeys.Tests.Support;

/// <summary>Starts the test worker (tests/ApiKeys.TestWorker) as a real child process.</summary>
public static class Worker
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ApiKeys.TestWorker.dll");

    public static Process Start(params string[] args) => Start(null, args);

    /// <summary>Starts the worker; with <paramref name="runAs"/>, through setpriv as that uid/gid (root only).</summary>
    public static Process Start(int? runAs, params string[] args)
    {
        var info = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (runAs is { } uid)
        {
            info.FileName = "setpriv";
            foreach (var a in new[] { $"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", DotnetHost(), ApiKeys.TestSupport.StagedBinaries.PathOf("ApiKeys.TestWorker.dll") })
            {
                info.ArgumentList.Add(a);
            }

            info.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath();
            info.Environment["HOME"] = Path.GetTempPath();
        }
        else
        {
            info.FileName = DotnetHost();
            info.ArgumentList.Add(Dll);
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_gcServer"] = "0";
        return Process.Start(info) ?? throw new InvalidOperationException("could not start the worker");
    }

    public static string DotnetHost()
    {
        var path = Environment.ProcessPath;
        if (path is not null && Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            return path;
        }

        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (root is not null && File.Exists(Path.Combine(root, "dotnet")))
        {
            return Path.Combine(root, "dotnet");
        }

        return "dotnet";
    }
}
