using System.Diagnostics;
using ApiKeys.Pool;
using ApiKeys.Redis.Tests.Support;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests;

/// <summary>
/// Faults of the server under a running pool: SCRIPT FLUSH, a restart without persistence, an outage. A server of its own
/// for each test (xUnit makes an instance per test): these kill and restart it, and a test must not start on a server that
/// the one before restarted while its client is still reconnecting.
/// </summary>
public sealed class RedisKeyPoolFaultTests : IDisposable
{
    private static readonly ApiKeyManagerOptions Quiet = new() { EnvironmentFaultGuard = false, FailureThreshold = 1000 };
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly RedisServer _server = new();

    public void Dispose() => _server.Dispose();

    [Fact]
    public void Acquire_ScriptFlushMidRun_ReloadsScriptsAndCountsExactly()
    {
        using var redis = _server.Connect();
        using var admin = _server.Admin();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(4)), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, Quiet);
        var errors = new List<Exception>();
        int done = 0;

        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            try
            {
                for (int i = 0; i < 300; i++)
                {
                    using var lease = pool.Acquire();
                    lease.Succeeded();
                    Interlocked.Increment(ref done);
                }
            }
            catch (Exception e)
            {
                lock (errors)
                {
                    errors.Add(e);
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        int flushes = 0;
        while (threads.Any(t => t.IsAlive))
        {
            admin.GetServer(admin.GetEndPoints()[0]).ScriptFlush();
            flushes++;
            Thread.Sleep(5);
        }

        Assert.Empty(errors);
        Assert.True(flushes > 1, $"only {flushes} flushes ran during the run");
        var statuses = pool.GetStatuses();
        Assert.Equal(1200, statuses.Sum(s => s.State.TotalSuccesses));
        Assert.All(statuses, s => Assert.Equal(0, s.InFlight));
    }

    [Fact]
    public void Acquire_RestartMidRun_RegistersAgainAndServes()
    {
        using var redis = _server.Connect();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(4)), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, Quiet);
        var errors = new List<Exception>();
        int done = 0;
        int unavailable = 0;
        using var stop = new CancellationTokenSource();

        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var lease = pool.Acquire();
                    lease.Succeeded();
                    Interlocked.Increment(ref done);
                }
                catch (RedisKeyPoolUnavailableException)
                {
                    Interlocked.Increment(ref unavailable);
                    Thread.Sleep(10);
                }
                catch (Exception e)
                {
                    lock (errors)
                    {
                        errors.Add(e);
                    }

                    return;
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        WaitUntil(() => Volatile.Read(ref done) >= 200, "200 leases before the restart");
        _server.Restart();
        int atRestart = Volatile.Read(ref done);
        WaitUntil(() => Volatile.Read(ref done) >= atRestart + 200, "200 leases after the restart");
        stop.Cancel();
        threads.ForEach(t => t.Join());

        Assert.Empty(errors);
        var statuses = pool.GetStatuses();
        Assert.Equal(4, statuses.Count);
        Assert.True(statuses.Sum(s => s.State.TotalSuccesses) >= 200, "the states after the restart count the leases since");
        Assert.All(statuses, s => Assert.Equal(KeyAvailability.Available, s.Availability));
    }

    [Fact]
    public void Acquire_RedisDown_FailsFastWithClearError()
    {
        using var redis = _server.Connect();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(2)), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, Quiet);
        pool.Acquire().Succeeded();
        try
        {
            _server.Kill();
            WaitUntil(() => !redis.IsConnected, "the client to notice the outage");

            var clock = Stopwatch.StartNew();
            var e = Assert.Throws<RedisKeyPoolUnavailableException>(() => pool.Acquire());

            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed}");
            Assert.Contains("unavailable", e.Message, StringComparison.Ordinal);
            Assert.Contains(pool.PoolName, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            _server.Restart();
        }
    }

    [Fact]
    public void Acquire_RedisDownWithFallback_ServesLocallyAndReconcilesCounters()
    {
        using var redis = _server.Connect();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(2)),
            new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name(), FallbackToLocal = true }, Quiet);
        for (int i = 0; i < 5; i++)
        {
            pool.Acquire().Succeeded();
        }

        try
        {
            _server.Kill();
            WaitUntil(() => !redis.IsConnected, "the client to notice the outage");
            for (int i = 0; i < 7; i++)
            {
                pool.Acquire().Succeeded();
            }

            Assert.True(pool.IsUsingLocalFallback);
        }
        finally
        {
            _server.Restart();
        }

        WaitUntil(() => redis.IsConnected, "the client to reconnect");
        pool.Acquire().Succeeded();

        // A read merges what the fallback counted first; a merge that fails just after the reconnection (the client is still
        // settling) leaves the pool on its fallback, and the next read tries again: wait for the pool to say it is back.
        var statuses = WaitFor(() => pool.GetStatuses(), _ => !pool.IsUsingLocalFallback, "the pool to leave its local fallback");
        Assert.Equal(13, statuses.Sum(s => s.State.TotalSuccesses));
    }

    [Fact]
    public void GetStatuses_LocalLeaseReportedAfterRedisIsBack_CountsIt()
    {
        using var redis = _server.Connect();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(2)),
            new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name(), FallbackToLocal = true }, Quiet);
        pool.Acquire().Succeeded();
        KeyLease local;
        try
        {
            _server.Kill();
            WaitUntil(() => !redis.IsConnected, "the client to notice the outage");
            local = pool.Acquire();
            Assert.True(pool.IsUsingLocalFallback);
        }
        finally
        {
            _server.Restart();
        }

        WaitUntil(() => redis.IsConnected, "the client to reconnect");
        WaitFor(() => pool.GetStatuses(), _ => !pool.IsUsingLocalFallback, "the pool to leave its local fallback");
        // The lease taken during the outage reports now, to the local fallback, and the very next read must count it
        // (before, it reached Redis only with an acquire at least a second later).
        local.Succeeded();

        Assert.Equal(2, pool.GetStatuses().Sum(s => s.State.TotalSuccesses));
    }

    private static T WaitFor<T>(Func<T> read, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > Bound)
            {
                throw new TimeoutException($"waited {Bound.TotalSeconds} s for {what}");
            }

            Thread.Sleep(20);
        }
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Bound)
            {
                throw new TimeoutException($"waited {Bound.TotalSeconds} s for {what}");
            }

            Thread.Sleep(20);
        }
    }
}
