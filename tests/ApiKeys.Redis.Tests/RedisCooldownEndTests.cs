using ApiKeys.Pool;
using ApiKeys.Redis.Tests.Support;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests;

/// <summary>
/// A key whose cooldown ended is back at once, to the millisecond, although the acquire looks at the cooling set only when
/// the pool's <c>cdue</c> time says a key can be due (at most a second ahead): every script that sets a key cooling lowers
/// it. On a fake clock: nothing sleeps.
/// </summary>
public sealed class RedisCooldownEndTests : IClassFixture<RedisServer>, IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ConnectionMultiplexer _redis;

    public RedisCooldownEndTests(RedisServer server) => _redis = server.Connect();

    public void Dispose() => _redis.Dispose();

    [Fact]
    public void Acquire_ReportCoolsTheKeyForLessThanTheSweepGap_BackAtTheCooldownsEnd()
    {
        using var pool = Pool(new ApiKeyManagerOptions { EnvironmentFaultGuard = false });
        pool.Acquire().Succeeded(); // the cooling set is empty: it is looked at again a second from now at the latest

        pool.Acquire().Failed(KeyFailure.RateLimited(TimeSpan.FromMilliseconds(300), RateLimitScope.Minute));
        Assert.False(pool.TryAcquire(out _, out var availableAt));
        var wait = availableAt!.Value - _time.GetUtcNow();
        Assert.InRange(wait, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(999));
        _time.Advance(wait);

        Assert.True(pool.TryAcquire(out var lease, out _));
        lease!.Succeeded();
    }

    [Fact]
    public void Acquire_RequestLimitWindowEndsBeforeTheSweepGap_BackAtTheWindowsEnd()
    {
        var options = new ApiKeyManagerOptions { EnvironmentFaultGuard = false };
        options.RequestLimits.Add(new RequestLimit { PerMinute = 2 });
        using var pool = Pool(options);
        pool.Acquire().Succeeded(); // the minute's window starts here
        _time.Advance(TimeSpan.FromSeconds(59.5));

        // The second request of the window sets the key aside until the window ends, half a second from now.
        pool.Acquire().Succeeded();
        Assert.False(pool.TryAcquire(out _, out _));
        _time.Advance(TimeSpan.FromSeconds(0.5));

        Assert.True(pool.TryAcquire(out var lease, out _));
        lease!.Succeeded();
    }

    private RedisKeyPool Pool(ApiKeyManagerOptions options) =>
        new(_redis, RedisKeyPoolTests.Keys(TestKeys.Many(1)), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, options, timeProvider: _time);
}
