using System.Diagnostics;
using System.Globalization;
using ApiKeys.Pool;
using ApiKeys.Redis.Tests.Support;

namespace ApiKeys.Redis.Tests;

/// <summary>Several real processes with several threads each on one pool (the worker is tests/ApiKeys.Redis.TestWorker).</summary>
public sealed class RedisMultiProcessTests : IClassFixture<RedisServer>
{
    private const int Processes = 4;
    private const int Threads = 4;
    private const int Ops = 150;
    private const int KeyCount = 12;
    private const int Cap = 3;
    private readonly RedisServer _server;

    public RedisMultiProcessTests(RedisServer server) => _server = server;

    [Fact]
    public async Task Acquire_FourProcessesFourThreads_TotalsExactNoCoolingKeyLeasedCapHeld()
    {
        string name = RedisKeyPoolTests.Name();

        var workers = Enumerable.Range(0, Processes).Select(_ => StartWorker(name)).ToList();
        var results = await Task.WhenAll(workers.Select(Finish));

        long reports = 0, failures = 0;
        foreach (var (code, output, error) in results)
        {
            Assert.True(code == 0, $"worker exited {code}: {error}");
            var parts = output.Trim().Split(' ');
            Assert.Equal("DONE", parts[0]);
            reports += long.Parse(parts[1], CultureInfo.InvariantCulture);
            failures += long.Parse(parts[2], CultureInfo.InvariantCulture);
            Assert.True(parts[3] == "0", $"violations: {error}");
        }

        using var redis = _server.Connect();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(KeyCount)), new RedisKeyPoolOptions { PoolName = name });
        var statuses = pool.GetStatuses();
        Assert.Equal(Processes * Threads * Ops, reports);
        Assert.Equal(reports, statuses.Sum(s => s.State.TotalSuccesses + s.State.TotalFailures));
        Assert.Equal(failures, statuses.Sum(s => s.State.TotalFailures));
        Assert.All(statuses, s => Assert.Equal(0, s.InFlight));
        Assert.InRange(statuses.Count(s => s.Availability == KeyAvailability.Cooling), 1, Processes);
    }

    private Process StartWorker(string pool)
    {
        // tests/ApiKeys.Redis.Tests/bin/<Configuration>/net10.0 -> tests/ApiKeys.Redis.TestWorker/bin/<Configuration>/net10.0
        var here = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        string worker = Path.Combine(here.Parent!.Parent!.Parent!.Parent!.FullName, "ApiKeys.Redis.TestWorker", "bin", here.Parent.Name, here.Name,
            "ApiKeys.Redis.TestWorker.dll");
        Assert.True(File.Exists(worker), $"the worker is not built at {worker}");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { worker, _server.ConnectionString, pool, $"{Threads}", $"{Ops}", $"{KeyCount}", $"{Cap}" })
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static async Task<(int Code, string Output, string Error)> Finish(Process process)
    {
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // A worker that hangs is a failure, not a process left behind.
                process.Kill(entireProcessTree: true);
                throw;
            }

            return (process.ExitCode, await output, await error);
        }
    }
}
