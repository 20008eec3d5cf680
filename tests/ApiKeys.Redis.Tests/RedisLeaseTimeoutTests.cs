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

    private RedisKeyPool Pool(string name, TimeSpan leaseTimeout, ConnectionMultiplexer? redis = null) =>
        new(redis ?? _redis, RedisKeyPoolTests.Keys(TestKeys.Many(1)), new RedisKeyPoolOptions { PoolName = name, LeaseTimeout = leaseTimeout },
            OneAtATime, new RecordingLogger<RedisKeyPool>(_lines), _time);
}
