using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests.Support;

/// <summary>
/// A real <c>redis-server</c> (Debian's package; scripts/install-deps.sh installs it) on a free loopback port, without
/// persistence, killed at the end. A missing binary fails the tests with a clear message: they never skip silently.
/// </summary>
public sealed class RedisServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);
    private Process? _process;

    public RedisServer()
    {
        Port = FreePort();
        Start();
    }

    public int Port { get; }

    public string ConnectionString => $"127.0.0.1:{Port},connectTimeout=2000,syncTimeout=3000,connectRetry=1";

    public ConnectionMultiplexer Connect() => RedisKeyPool.ConnectMultiplexer(ConnectionString);

    /// <summary>A connection for test assertions (admin commands allowed).</summary>
    public ConnectionMultiplexer Admin() => ConnectionMultiplexer.Connect($"127.0.0.1:{Port},allowAdmin=true,connectRetry=5");

    /// <summary>Kills the server (SIGKILL: nothing saved) and starts a fresh one on the same port.</summary>
    public void Restart()
    {
        Kill();
        Start();
    }

    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill();
            p.WaitForExit();
        }

        _process?.Dispose();
        _process = null;
    }

    public void Dispose() => Kill();

    private void Start()
    {
        var path = Which("redis-server") ?? throw new InvalidOperationException(
            "redis-server is not installed: the Redis backend's tests need a real server. Run scripts/install-deps.sh (Debian: apt-get install redis-server).");
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no", "--daemonize", "no" })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        WaitForPing();
    }

    private void WaitForPing()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} on port {Port}.");
            }

            try
            {
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, Port);
                using var stream = client.GetStream();
                stream.Write("PING\r\n"u8);
                var buffer = new byte[16];
                int n = stream.Read(buffer);
                if (n >= 5 && buffer.AsSpan(0, 5).SequenceEqual("+PONG"u8))
                {
                    return;
                }
            }
            catch (SocketException) when (clock.Elapsed < StartTimeout)
            {
                // Not listening yet.
            }
            catch (IOException) when (clock.Elapsed < StartTimeout)
            {
                // Accepted but closed while starting.
            }

            if (clock.Elapsed >= StartTimeout)
            {
                throw new TimeoutException($"redis-server did not answer PING on port {Port} within {StartTimeout.TotalSeconds} s.");
            }

            Thread.Sleep(20);
        }
    }

    /// <summary>A loopback port nothing listens on (the listener that found it is stopped).</summary>
    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin").Append("/usr/sbin")
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
