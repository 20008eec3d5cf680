using ApiKeys.Diagnostics;
using ApiKeys.Pool;
using ApiKeys.Redis.Tests.Support;
using ApiKeys.Tests.Behaviour;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests;

/// <summary>
/// Acquires asked for while one of the same process is on its way go together, as one script call, once its answer is in
/// (a group commit). The server is paused (<c>CLIENT PAUSE WRITE</c>) so that the first call is still unanswered when the
/// others are asked for; the server's own command counts say how many calls ran.
/// </summary>
public sealed class RedisAcquireCallTests : IClassFixture<RedisServer>, IDisposable
{
    private static readonly ApiKeyManagerOptions Quiet = new() { EnvironmentFaultGuard = false };
    private readonly RedisServer _server;
    private readonly ConnectionMultiplexer _redis;
    private readonly ConnectionMultiplexer _admin;

    public RedisAcquireCallTests(RedisServer server)
    {
        _server = server;
        _redis = server.Connect();
        _admin = server.Admin();
    }

    public void Dispose()
    {
        _redis.Dispose();
        _admin.Dispose();
    }

    [Fact]
    public async Task AcquireAsync_AskedWhileOneIsOnItsWay_GoAsOneCallInTheOrderAsked()
    {
        using var pool = new RedisKeyPool(_redis, RedisKeyPoolTests.Keys(TestKeys.Many(4)), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, Quiet);
        pool.Acquire().Dispose();
        var ring = Enumerable.Range(0, 4).Select(_ => { using var l = pool.Acquire(); return l.KeyId; }).ToList();
        long before = ScriptCalls();

        Pause();
        var first = pool.AcquireAsync();
        var others = Enumerable.Range(0, 3).Select(_ => pool.AcquireAsync()).ToList();
        Unpause();
        var leases = await Task.WhenAll([first, .. others]).WaitAsync(TimeSpan.FromSeconds(30));

        // The first went alone; the three asked for meanwhile went together, and took the ring's keys in the order asked.
        Assert.Equal(2, ScriptCalls() - before);
        Assert.Equal(ring, leases.Select(l => l.KeyId));
        Assert.Equal(4, leases.Select(l => l.LeaseId).Distinct().Count());
        Assert.Equal(4, pool.GetStatuses().Sum(s => s.InFlight));
        foreach (var lease in leases)
        {
            lease.Succeeded();
        }

        Assert.Equal(0, pool.GetStatuses().Sum(s => s.InFlight));
    }

    [Fact]
    public async Task Acquire_SynchronousCallersWhileOneIsOnItsWay_ShareOneCall()
    {
        using var pool = new RedisKeyPool(_redis, RedisKeyPoolTests.Keys(TestKeys.Many(4)), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, Quiet);
        pool.Acquire().Dispose();
        long before = ScriptCalls();

        Pause();
        var first = pool.AcquireAsync();
        var (threads, leases, errors) = Callers(3, () => pool.Acquire());
        WaitUntilBlocked(threads);
        Unpause();
        var firstLease = await first.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(30)), "a caller is still waiting"));

        // One call for the three synchronous callers: its leader waited for the answer and handed it to the other two.
        Assert.Empty(errors);
        Assert.Equal(2, ScriptCalls() - before);
        Assert.Equal(4, leases.Append(firstLease).Select(l => l.KeyId).Distinct().Count());
    }

    [Fact]
    public void Acquire_SynchronousCallersWaitingWhenTheServerDies_EachIsServedFromTheLocalFallback()
    {
        // The call they wait for can never be written: its leader and the others each get the outage, and fall back.
        using var server = new RedisServer();
        using var redis = server.Connect();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(2)),
            new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name(), FallbackToLocal = true }, Quiet);
        pool.Acquire().Dispose();
        HoldEveryCommand(server);

        var first = pool.AcquireAsync();
        var (threads, leases, errors) = Callers(3, () => pool.Acquire());
        WaitUntilBlocked(threads);
        server.Kill();
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(30)), "a caller is still waiting"));

        Assert.Empty(errors);
        Assert.Equal(3, leases.Count);
        Assert.True(pool.IsUsingLocalFallback);
    }

    [Fact]
    public async Task AcquireAsync_PicksOfOneCall_EachCountsTheRequestLimitsOfItsOwnModel()
    {
        var options = new ApiKeyManagerOptions { EnvironmentFaultGuard = false };
        options.RequestLimits.Add(new RequestLimit { Model = "gemini-2.5-pro", PerMinute = 1 });
        using var pool = new RedisKeyPool(_redis, RedisKeyPoolTests.Keys(TestKeys.Many(2)), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, options);
        pool.Acquire().Dispose();

        Pause();
        var first = pool.AcquireAsync("gemini-2.5-flash");
        var pro = Enumerable.Range(0, 2).Select(_ => pool.AcquireAsync("gemini-2.5-pro")).ToList();
        var flash = pool.AcquireAsync("gemini-2.5-flash");
        Unpause();
        var leases = await Task.WhenAll([first, .. pro, flash]).WaitAsync(TimeSpan.FromSeconds(30));

        // Each pro pick reached its key's limit, so the second took the other key; the flash picks count no limit.
        Assert.NotEqual(leases[1].KeyId, leases[2].KeyId);
        Assert.False(pool.TryAcquire(out _, out var availableAt, "gemini-2.5-pro"));
        Assert.NotNull(availableAt);
        Assert.True(pool.TryAcquire(out var more, out _, "gemini-2.5-flash"));
        more.Dispose();
        foreach (var lease in leases)
        {
            lease.Dispose();
        }
    }

    [Fact]
    public void Acquire_ManyThreads_PicksOfOneCallRespectTheCapAndEverySuccessCounts()
    {
        // Eight threads on four keys, one lease a key: picks that share a call must see each other's leases.
        using var pool = new RedisKeyPool(_redis, RedisKeyPoolTests.Keys(TestKeys.Many(4)), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() },
            new ApiKeyManagerOptions { EnvironmentFaultGuard = false, MaxLeasesPerKey = 1 });
        var holders = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        long successes = 0;
        var threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            for (int i = 0; i < 200; i++)
            {
                if (!pool.TryAcquire(out var lease, out _))
                {
                    continue;
                }

                if (!holders.TryAdd(lease.KeyId, t))
                {
                    errors.Enqueue($"key {lease.KeyId} leased twice at once");
                }

                // Held for a round trip: long enough for the other threads' picks to run meanwhile.
                _admin.GetDatabase().Ping();
                holders.TryRemove(lease.KeyId, out _);
                lease.Succeeded();
                Interlocked.Increment(ref successes);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(30)), "a caller is still waiting"));

        Assert.Empty(errors);
        var statuses = pool.GetStatuses();
        Assert.Equal(successes, statuses.Sum(s => s.State.TotalSuccesses));
        Assert.All(statuses, s => Assert.Equal(0, s.InFlight));
    }

    [Fact]
    public async Task AcquireAsync_ServerGoneWhileCallersWait_EachIsServedFromTheLocalFallback()
    {
        // A server of its own: this test kills it.
        using var server = new RedisServer();
        using var redis = server.Connect();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(2)),
            new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name(), FallbackToLocal = true }, Quiet);
        pool.Acquire().Dispose();
        HoldEveryCommand(server);

        // The first call never runs; the others wait for it, and their own call can never be written.
        var first = pool.AcquireAsync();
        var others = Enumerable.Range(0, 3).Select(_ => pool.AcquireAsync()).ToList();
        server.Kill();
        var leases = await Task.WhenAll([first, .. others]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(4, leases.Length);
        Assert.True(pool.IsUsingLocalFallback);
    }

    [Fact]
    public async Task AcquireAsync_SuccessesItCarriedLostAndTheirLogThrows_CallerStillFallsBack()
    {
        // A logging provider that throws on the lost reports' lines: the caller whose call carried them still gets its
        // lease from the local fallback, and each loss is logged as a handling failure instead.
        var lines = new List<(int EventId, string Message)>();
        using var server = new RedisServer();
        using var redis = server.Connect();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(1)),
            new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name(), FallbackToLocal = true }, Quiet,
            new ThrowingOn(ApiKeysEventIds.RedisReportLost, new RecordingLogger<RedisKeyPool>(lines)));
        pool.Acquire().Succeeded();
        var (sent, queued) = (pool.Acquire(), pool.Acquire());
        HoldEveryCommand(server);

        sent.Succeeded();
        queued.Succeeded();
        var acquire = pool.AcquireAsync();
        server.Kill();

        using var lease = await acquire.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(pool.IsUsingLocalFallback);
        Assert.Contains(lines, l => l.EventId == ApiKeysEventIds.RedisReportHandlingFailed && l.Message.Contains($"lease {queued.LeaseId}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AcquireAsync_ServerGoneWhileCallersWait_EachGetsTheOutageWithoutFallback()
    {
        using var server = new RedisServer();
        using var redis = server.Connect();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(2)), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, Quiet);
        pool.Acquire().Dispose();
        HoldEveryCommand(server);

        var calls = Enumerable.Range(0, 4).Select(_ => pool.AcquireAsync()).ToList();
        server.Kill();

        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<RedisKeyPoolUnavailableException>(() => call.WaitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    private static (List<Thread> Threads, List<KeyLease> Leases, List<Exception> Errors) Callers(int count, Func<KeyLease> acquire)
    {
        var leases = new List<KeyLease>();
        var errors = new List<Exception>();
        var threads = Enumerable.Range(0, count).Select(_ => new Thread(() =>
        {
            try
            {
                var lease = acquire();
                lock (leases)
                {
                    leases.Add(lease);
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
        return (threads, leases, errors);
    }

    // Each thread is blocked: waiting for the call on its way to be answered (nothing else blocks before a pick is queued).
    private static void WaitUntilBlocked(List<Thread> threads) =>
        Assert.True(SpinWait.SpinUntil(() => threads.All(t => (t.ThreadState & ThreadState.WaitSleepJoin) != 0), TimeSpan.FromSeconds(30)),
            "the callers never blocked");

    /// <summary>The server holds every command from now on (it is killed next: nothing written after this ever runs).</summary>
    private static void HoldEveryCommand(RedisServer server)
    {
        using var admin = server.Admin();
        admin.GetDatabase().Execute("CLIENT", "PAUSE", 60_000, "ALL");
    }

    private void Pause() => _admin.GetDatabase().Execute("CLIENT", "PAUSE", 10_000, "WRITE");

    private void Unpause() => _admin.GetDatabase().Execute("CLIENT", "UNPAUSE");

    private long ScriptCalls()
    {
        var stats = _admin.GetServers()[0].Info("commandstats").SelectMany(g => g).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        return stats.TryGetValue("cmdstat_evalsha", out var line)
            ? long.Parse(line.Split(',')[0].Split('=')[1], System.Globalization.CultureInfo.InvariantCulture) : 0;
    }
}
