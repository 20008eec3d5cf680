using ApiKeys.Diagnostics;
using ApiKeys.Pool;
using ApiKeys.Redis.Tests.Support;
using ApiKeys.Tests.Behaviour;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests;

/// <summary>
/// A lease's success on a plain key is sent without waiting for its answer (one round trip a pair for the caller): the
/// pool's reads and its Dispose wait for such sends, and a send that never reaches Redis is logged and counted locally.
/// The server is paused (<c>CLIENT PAUSE</c>) where a test needs a send to be still unanswered when the next step runs.
/// </summary>
public sealed class RedisUnawaitedSuccessTests : IClassFixture<RedisServer>, IDisposable
{
    // Strikes only: a failure makes a key's state more than a count without taking the key out.
    private static readonly ApiKeyManagerOptions Quiet = new() { EnvironmentFaultGuard = false, FailureThreshold = 1000 };
    private readonly RedisServer _server;
    private readonly ConnectionMultiplexer _redis;
    private readonly ConnectionMultiplexer _admin;

    public RedisUnawaitedSuccessTests(RedisServer server)
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
    public async Task Succeeded_PlainKeys_StatusRightAfterCountsEverySuccess()
    {
        using var pool = Pool(_redis, RedisKeyPoolTests.Name(), keys: 2);

        for (int i = 0; i < 50; i++)
        {
            using var lease = pool.Acquire();
            lease.Succeeded();
        }

        var statuses = pool.GetStatuses();
        Assert.Equal(50, statuses.Sum(s => s.State.TotalSuccesses));
        Assert.All(statuses, s => Assert.Equal(0, s.InFlight));
        pool.Acquire().Succeeded();
        Assert.Equal(51, (await pool.GetStatusesAsync()).Sum(s => s.State.TotalSuccesses));
    }

    [Fact]
    public void Succeeded_KeyNoLongerPlainInRedis_StatusRightAfterHasTheSuccessWritten()
    {
        string name = RedisKeyPoolTests.Name();
        using var pool = Pool(_redis, name, keys: 1);
        using var otherRedis = _server.Connect();
        using var other = Pool(otherRedis, name, keys: 1);
        pool.Acquire().Succeeded();
        var lease = pool.Acquire();
        // Another process's strike: the key's state is no longer plain, which this pool has not seen.
        Assert.True(other.Report(lease.KeyId, KeyOutcome.Failed(KeyFailure.Unknown("boom"))));

        // The success waits in the paused server, and the read is queued behind it: the success script answers "not plain"
        // first, and the state write that follows must come before the read answers.
        Pause(300, "WRITE");
        lease.Succeeded();
        var status = pool.GetStatuses().Single();

        Assert.Equal(0, status.State.Failures);
        Assert.Equal(2, status.State.TotalSuccesses);
        Assert.Equal(0, status.InFlight);
    }

    [Fact]
    public void Dispose_SuccessesStillUnanswered_WaitsForThem()
    {
        string name = RedisKeyPoolTests.Name();
        var pool = Pool(_redis, name, keys: 2);
        pool.Acquire().Succeeded();
        pool.Acquire().Succeeded();
        var leases = Enumerable.Range(0, 5).Select(_ => pool.Acquire()).ToList();

        // Writes (scripts) wait in the paused server; reads from another connection are answered at once.
        Pause(500, "WRITE");
        leases.ForEach(l => l.Succeeded());
        pool.Dispose();

        var db = _admin.GetDatabase();
        long counted = pool.Keys.Sum(k => (long?)db.HashGet($"apikeys:{{{name}}}:k:{k.Id}", "s") ?? 0);
        Assert.Equal(5, counted);
        Assert.Equal(0, db.SortedSetLength($"apikeys:{{{name}}}:leases"));
    }

    [Fact]
    public void Succeeded_ServerGoneBeforeTheSuccessRan_LoggedAsLostAndCountedLocally()
    {
        // A server of its own: this test kills it.
        using var server = new RedisServer();
        using var redis = server.Connect();
        var lines = new List<(int EventId, string Message)>();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(1)),
            new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name(), FallbackToLocal = true }, Quiet, new RecordingLogger<RedisKeyPool>(lines));
        pool.Acquire().Succeeded();
        var lease = pool.Acquire();

        // The success is on the wire but never runs: the server holds every command, then dies.
        using (var admin = server.Admin())
        {
            admin.GetDatabase().Execute("CLIENT", "PAUSE", 60_000, "ALL");
        }

        lease.Succeeded();
        server.Kill();
        var statuses = pool.GetStatuses();

        Assert.Contains(lines, l => l.EventId == ApiKeysEventIds.RedisReportLost && l.Message.Contains($"lease {lease.LeaseId} ", StringComparison.Ordinal));
        Assert.Equal(2, statuses.Single().State.TotalSuccesses);
    }

    [Fact]
    public void Succeeded_QueuedBehindABatchOnItsWay_CountedBeforeTheCallersNextAcquirePicks()
    {
        // One key, one lease at a time, on a fake clock: the lease reported first had timed out (its success frees nothing),
        // so the caller's next acquire finds the key free only if the success queued behind it ran before its pick.
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var pool = new RedisKeyPool(_redis, RedisKeyPoolTests.Keys(TestKeys.Many(1)),
            new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name(), LeaseTimeout = TimeSpan.FromMinutes(1) },
            new ApiKeyManagerOptions { EnvironmentFaultGuard = false, MaxLeasesPerKey = 1 }, timeProvider: time);
        pool.Acquire().Succeeded();
        var late = pool.Acquire();
        time.Advance(TimeSpan.FromMinutes(1));
        var held = pool.Acquire();

        // The late success waits in the paused server (its answer cannot be in), so the next success is queued behind it.
        Pause(300, "WRITE");
        late.Succeeded();
        held.Succeeded();
        using var next = pool.Acquire();

        var status = pool.GetStatuses().Single();
        Assert.Equal((3L, 1), (status.State.TotalSuccesses, status.InFlight));
    }

    [Fact]
    public void Failed_AfterASuccessQueuedBehindABatch_TheFailureIsTheLastOutcome()
    {
        using var pool = Pool(_redis, RedisKeyPoolTests.Name(), keys: 1);
        pool.Acquire().Succeeded();
        var leases = Enumerable.Range(0, 3).Select(_ => pool.Acquire()).ToList();

        // The first success waits in the paused server, so the second is queued; the failure's write must not pass it.
        Pause(300, "WRITE");
        leases[0].Succeeded();
        leases[1].Succeeded();
        leases[2].Failed(KeyFailure.Unknown("boom"));

        var status = pool.GetStatuses().Single();
        Assert.Equal((1, 3L, 0), (status.State.Failures, status.State.TotalSuccesses, status.InFlight));
    }

    [Fact]
    public void Succeeded_QueuedSuccessNeedsAStateWrite_StatusRightAfterHasItWritten()
    {
        string name = RedisKeyPoolTests.Name();
        using var pool = Pool(_redis, name, keys: 2);
        using var otherRedis = _server.Connect();
        using var other = Pool(otherRedis, name, keys: 2);
        pool.Acquire().Succeeded();
        pool.Acquire().Succeeded();
        var first = pool.Acquire();
        var second = pool.Acquire();
        Assert.NotEqual(first.KeyId, second.KeyId);
        // Another process's strike on the second key: its success is answered "not plain" and written as a new state.
        Assert.True(other.Report(second.KeyId, KeyOutcome.Failed(KeyFailure.Unknown("boom"))));

        // The first success waits in the paused server; the second is queued behind it when the read comes.
        Pause(300, "WRITE");
        first.Succeeded();
        second.Succeeded();
        var statuses = pool.GetStatuses().ToDictionary(s => s.Id);

        Assert.Equal((0, 2L, 0), (statuses[second.KeyId].State.Failures, statuses[second.KeyId].State.TotalSuccesses, statuses[second.KeyId].InFlight));
        Assert.Equal((2L, 0), (statuses[first.KeyId].State.TotalSuccesses, statuses[first.KeyId].InFlight));
    }

    [Fact]
    public void Succeeded_ServerGoneWithSuccessesQueued_EachLoggedAsLostAndCountedLocally()
    {
        using var server = new RedisServer();
        using var redis = server.Connect();
        var lines = new List<(int EventId, string Message)>();
        using var pool = new RedisKeyPool(redis, RedisKeyPoolTests.Keys(TestKeys.Many(1)),
            new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name(), FallbackToLocal = true }, Quiet, new RecordingLogger<RedisKeyPool>(lines));
        pool.Acquire().Succeeded();
        var leases = Enumerable.Range(0, 3).Select(_ => pool.Acquire()).ToList();

        // The first success is on the wire but never runs; the others queue behind it and never reach the server.
        using (var admin = server.Admin())
        {
            admin.GetDatabase().Execute("CLIENT", "PAUSE", 60_000, "ALL");
        }

        leases.ForEach(l => l.Succeeded());
        server.Kill();
        var statuses = pool.GetStatuses();

        Assert.All(leases, lease => Assert.Contains(lines,
            l => l.EventId == ApiKeysEventIds.RedisReportLost && l.Message.Contains($"lease {lease.LeaseId} ", StringComparison.Ordinal)));
        Assert.Equal(4, statuses.Single().State.TotalSuccesses);
    }

    private static RedisKeyPool Pool(ConnectionMultiplexer redis, string name, int keys) =>
        new(redis, RedisKeyPoolTests.Keys(TestKeys.Many(keys)), new RedisKeyPoolOptions { PoolName = name }, Quiet);

    /// <summary>Holds the server's clients for <paramref name="ms"/> (<c>WRITE</c>: those sending scripts or writes; <c>ALL</c>: every one).</summary>
    private void Pause(int ms, string mode) => _admin.GetDatabase().Execute("CLIENT", "PAUSE", ms, mode);
}
