using Microsoft.Extensions.Logging;
using ApiKeys.Diagnostics;
using ApiKeys.Pool;
using ApiKeys.Redis.Tests.Support;
using ApiKeys.Tests.Behaviour;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests;

/// <summary>
/// Leases never reported stop counting at their lease timeout, to the millisecond, although the acquire looks at the lease
/// sets only when the pool's <c>sweep</c> time says one can be due. On a fake clock: nothing sleeps.
/// </summary>
public sealed class RedisLeaseTimeoutTests : IClassFixture<RedisServer>, IDisposable
{
    private static readonly ApiKeyManagerOptions OneAtATime = new() { EnvironmentFaultGuard = false, MaxLeasesPerKey = 1 };
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ConnectionMultiplexer _redis;
    private readonly List<(int EventId, string Message)> _lines = [];

    public RedisLeaseTimeoutTests(RedisServer server)
    {
        _redis = server.Connect();
    }

    public void Dispose() => _redis.Dispose();

    [Fact]
    public void Acquire_LeaseNeverReported_ReclaimedAtItsTimeoutAndItsLateReportCountedOnce()
    {
        using var pool = Pool(RedisKeyPoolTests.Name(), TimeSpan.FromMinutes(1));

        for (int round = 1; round <= 3; round++)
        {
            var forgotten = pool.Acquire();
            _time.Advance(TimeSpan.FromMinutes(1) - TimeSpan.FromMilliseconds(1));
            Assert.Equal(NoKeyReason.AllBusy, Assert.Throws<NoAvailableKeyException>(() => pool.Acquire()).Reason);
            _time.Advance(TimeSpan.FromMilliseconds(1));
            var next = pool.Acquire();
            forgotten.Succeeded();
            next.Succeeded();
        }

        var status = pool.GetStatuses().Single();
        Assert.Equal((6L, 0), (status.State.TotalSuccesses, status.InFlight));
        Assert.Equal(3, _lines.Count(l => l.EventId == ApiKeysEventIds.RedisLateReport));
    }

    [Fact]
    public void Acquire_ProcessWithShorterTimeoutLeasesAfterALongerOne_ItsLeaseReclaimedAtItsOwnTimeout()
    {
        string name = RedisKeyPoolTests.Name();
        using var patient = Pool(name, TimeSpan.FromMinutes(10));
        using var otherRedis = RedisKeyPool.ConnectMultiplexer(_redis.Configuration);
        using var hasty = Pool(name, TimeSpan.FromMinutes(1), otherRedis);
        patient.Acquire().Succeeded();

        _ = hasty.Acquire();
        Assert.Equal(NoKeyReason.AllBusy, Assert.Throws<NoAvailableKeyException>(() => patient.Acquire()).Reason);
        _time.Advance(TimeSpan.FromMinutes(1));

        using var lease = patient.Acquire();
        Assert.Equal(patient.Keys[0].Id, lease.KeyId);
    }

    [Fact]
    public void Acquire_LateEntryDueBeforeTheNextLeaseTimeout_SweptAtItsEndSoAReportAfterItIsNotCounted()
    {
        // No cap: acquires never wait for a key. A timed-out lease stays in the late set for one lease timeout after it was
        // reclaimed; the sweep time must come back for it then, although no lease is due that early.
        using var pool = new RedisKeyPool(_redis, RedisKeyPoolTests.Keys(TestKeys.Many(1)),
            new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name(), LeaseTimeout = TimeSpan.FromMinutes(1) },
            new ApiKeyManagerOptions { EnvironmentFaultGuard = false }, new RecordingLogger<RedisKeyPool>(_lines), _time);
        var first = pool.Acquire();
        _time.Advance(TimeSpan.FromSeconds(30));
        var second = pool.Acquire();
        _time.Advance(TimeSpan.FromSeconds(30));
        pool.Acquire().Succeeded(); // reclaims the first lease: late until 2:00
        _time.Advance(TimeSpan.FromSeconds(30));
        pool.Acquire().Succeeded(); // reclaims the second: late until 2:30, the next sweep at 2:00 for the first's entry
        _time.Advance(TimeSpan.FromSeconds(30));
        pool.Acquire().Succeeded(); // 2:00: the first's late entry goes

        first.Succeeded();
        second.Succeeded();

        var status = pool.GetStatuses().Single();
        Assert.Equal((4L, 0), (status.State.TotalSuccesses, status.InFlight));
        Assert.Equal(1, _lines.Count(l => l.EventId == ApiKeysEventIds.RedisLateReport && l.Message.Contains($"Lease {second.LeaseId} ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Succeeded_LateReportWhoseLogThrows_TheBatchStillEndsAndReadsDoNotWait()
    {
        // A logger that throws on the late report's line: the success is counted in Redis all the same, and the batch that
        // carried it must end (reads and Dispose wait for it), the failure logged instead.
        var logger = new ThrowingOn(ApiKeysEventIds.RedisLateReport, new RecordingLogger<RedisKeyPool>(_lines));
        // Disposed at the end, not by `using`: without the fix Dispose would wait for the batch forever too.
        var pool = new RedisKeyPool(_redis, RedisKeyPoolTests.Keys(TestKeys.Many(1)),
            new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name(), LeaseTimeout = TimeSpan.FromMinutes(1) }, OneAtATime, logger, _time);
        pool.Acquire().Succeeded();
        pool.Acquire().Succeeded();
        var forgotten = pool.Acquire();
        _time.Advance(TimeSpan.FromMinutes(1));
        var next = pool.Acquire();

        forgotten.Succeeded();
        var read = Task.Run(() => pool.GetStatuses().Single());

        var status = await read.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3L, status.State.TotalSuccesses);
        Assert.Contains(_lines, l => l.EventId == ApiKeysEventIds.RedisReportHandlingFailed);
        next.Succeeded();
        pool.Dispose();
    }

    private RedisKeyPool Pool(string name, TimeSpan leaseTimeout, ConnectionMultiplexer? redis = null) =>
        new(redis ?? _redis, RedisKeyPoolTests.Keys(TestKeys.Many(1)), new RedisKeyPoolOptions { PoolName = name, LeaseTimeout = leaseTimeout },
            OneAtATime, new RecordingLogger<RedisKeyPool>(_lines), _time);
}
