using System.Diagnostics;
using ApiKeys.Pool;
using ApiKeys.Redis.Tests.Support;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests;

/// <summary>
/// A multiplexer the application made itself, with StackExchange.Redis's default backlog (commands queued while disconnected,
/// run on reconnection): the pool must not put an acquire into it while Redis is away, or that acquire would take a lease on
/// reconnection that nobody reports, holding the key until the lease timeout.
/// </summary>
public sealed class RedisBacklogTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public void Acquire_WhileDisconnected_QueuesNothingThatTakesALeaseOnReconnection()
    {
        using var server = new RedisServer();
        using var redis = ConnectionMultiplexer.Connect($"127.0.0.1:{server.Port},connectRetry=1,name=pool");
        using var admin = server.Admin();
        string name = RedisKeyPoolTests.Name();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(2)),
            new RedisKeyPoolOptions { PoolName = name, FallbackToLocal = true },
            new ApiKeyManagerOptions { EnvironmentFaultGuard = false, MaxLeasesPerKey = 5 });
        pool.Acquire().Succeeded();
        var db = admin.GetDatabase();

        // Drop the pool's connection and hold its reconnection (the handshake) for a while.
        var pause = db.CreateTransaction();
        _ = pause.ExecuteAsync("CLIENT", "PAUSE", 2000, "ALL");
        _ = pause.ExecuteAsync("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
        pause.Execute();
        Until(() => !redis.IsConnected, "the pool's connection to drop");
        for (int i = 0; i < 10; i++)
        {
            using var lease = pool.Acquire();
            lease.Succeeded();
        }

        bool servedLocally = pool.IsUsingLocalFallback;
        Until(() => redis.IsConnected, "the pool's connection to come back");
        // Ordered after anything the backlog held: once it answers, every queued command has run.
        redis.GetDatabase().Ping();
        long leases = db.SortedSetLength($"apikeys:{{{name}}}:leases");

        Assert.True(servedLocally);
        Assert.Equal(0, leases);
    }

    private static void Until(Func<bool> condition, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Bound, $"timed out waiting for {what}");
            Thread.Yield();
        }
    }
}
