using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace ApiKeys.Gateway.Tests.Support;

/// <summary>
/// The gateway as a real process: <c>dotnet ApiKeys.Gateway.dll</c> (built beside the tests) on a free loopback port, its
/// stdout and stderr kept line by line (and in a .log file the CI's canary scan reads). Stopping it sends SIGTERM, as a
/// service manager would. Every line of every run is checked for keys and client tokens when it is disposed.
/// </summary>
public sealed partial class GatewayProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StreamWriter _log;

    private GatewayProcess(Process process, StreamWriter log)
    {
        _process = process;
        _log = log;
    }

    public static string Dll => Path.Combine(AppContext.BaseDirectory, "ApiKeys.Gateway.dll");

    /// <summary>
    /// The CLI as its own build left it (src/ApiKeys.Cli/bin/...): beside these tests, whose ASP.NET Core framework reference
    /// drops the Microsoft.Extensions assemblies the CLI carries, it could not load StackExchange.Redis's dependencies.
    /// </summary>
    public static string CliDll
    {
        get
        {
            var tests = new DirectoryInfo(AppContext.BaseDirectory);
            string framework = tests.Name, configuration = tests.Parent!.Name;
            for (var dir = tests; dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ApiKeyManager.slnx")))
                {
                    return Path.Combine(dir.FullName, "src", "ApiKeys.Cli", "bin", configuration, framework, "ApiKeys.Cli.dll");
                }
            }

            throw new InvalidOperationException("ApiKeyManager.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>How to start the CLI: <c>dotnet ApiKeys.Cli.dll</c>, or the binary named by APIKEYS_CLI_BINARY (the NativeAOT artifacts/apikeys).</summary>
    public static string[] CliLauncher => Environment.GetEnvironmentVariable("APIKEYS_CLI_BINARY") is { Length: > 0 } native
        ? [Path.GetFullPath(native)]
        : ["dotnet", CliDll];

    public Uri BaseAddress { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public int ProcessId => _process.Id;

    public IReadOnlyList<string> Lines => [.. _lines];

    public string Output => string.Join('\n', _lines);

    /// <summary>Starts the gateway on <paramref name="dir"/> in front of <paramref name="upstream"/> and waits until it listens.</summary>
    public static Task<GatewayProcess> StartAsync(string dir, Uri upstream, params string[] args) =>
        StartAsync(["dotnet", Dll, "--dir", dir, "--upstream", upstream.ToString()], args);

    /// <summary>Starts <paramref name="command"/> (the gateway or <c>apikeys serve</c>) with test defaults and waits until it listens.</summary>
    public static async Task<GatewayProcess> StartAsync(string[] command, string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // No wait between retries (the tests never sleep), a free port, and the settings of the test.
        foreach (var a in command.Skip(1).Concat(["--urls", "http://127.0.0.1:0", "--Gateway:RetryBackoff", "00:00:00"]).Concat(args))
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        string logDir = Path.Combine(Path.GetTempPath(), "apikeys-tests");
        Directory.CreateDirectory(logDir);
        var log = new StreamWriter(Path.Combine(logDir, $"gateway-{Guid.NewGuid():N}.log")) { AutoFlush = true };
        var process = Process.Start(info) ?? throw new InvalidOperationException("the gateway did not start");
        var gateway = new GatewayProcess(process, log);
        process.OutputDataReceived += (_, e) => gateway.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => gateway.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(gateway._listening.Task, exited, Task.Delay(StartTimeout));
        if (first != gateway._listening.Task)
        {
            await gateway.DisposeAsync();
            throw new InvalidOperationException($"the gateway did not start listening ({(first == exited ? "it exited" : "timeout")}):\n{gateway.Output}");
        }

        gateway.BaseAddress = gateway._listening.Task.Result;
        gateway.Client = new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        return gateway;
    }

    /// <summary>Waits for a line matching <paramref name="match"/> (already written or to come).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan? timeout = null)
    {
        var end = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < end)
        {
            if (_lines.FirstOrDefault(match) is { } line)
            {
                return line;
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"no such line in the gateway's output:\n{Output}");
    }

    /// <summary>SIGTERM, then waits for the exit (a graceful shutdown: drains, flushes).</summary>
    public async Task<int> StopAsync(TimeSpan? timeout = null)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Fails when any line holds a whole key or a whole client token.</summary>
    public void AssertNoSecretsInLogs()
    {
        foreach (var line in _lines)
        {
            TestKeys.AssertNoSecret(line, "a gateway log line");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                await StopAsync(TimeSpan.FromSeconds(15));
            }
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        _process.Dispose();
        await _log.DisposeAsync();
        AssertNoSecretsInLogs();
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        lock (_log)
        {
            _log.WriteLine(line);
        }

        if (Listening().Match(line) is { Success: true } m)
        {
            _listening.TrySetResult(new Uri(m.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }

    [GeneratedRegex(@"gateway listening on (https?://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();
}
