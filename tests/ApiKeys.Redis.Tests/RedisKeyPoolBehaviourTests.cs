using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Redis.Tests.Support;
using ApiKeys.Tests.Behaviour;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests;

/// <summary>
/// The shared behaviour suite on <see cref="RedisKeyPool"/>, against the real redis-server the tests start: every case.
/// The pool runs on a <see cref="FakeTimeProvider"/> (with a provider other than the system's, every script takes the pool's
/// clock instead of reading Redis's <c>TIME</c>), so time moves without sleeping, and only when the test moves it.
/// </summary>
[Collection(Collection)]
public sealed class RedisKeyPoolBehaviourTests : KeyPoolBehaviourTests, IClassFixture<RedisServer>
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly ConnectionMultiplexer _redis;

    public RedisKeyPoolBehaviourTests(RedisServer server)
    {
        _redis = server.Connect();
    }

    // The pool runs on the fake clock exactly (scripts take it instead of Redis's TIME), but Redis holds times in whole
    // milliseconds: a time read back (a cooldown's end, the clock a script ran at) is the fake's, truncated to the millisecond.
    protected override TimeSpan ClockSlack => TimeSpan.FromMilliseconds(1);

    protected override DateTimeOffset Now => _time.GetUtcNow();

    protected override IKeyPool Create(IReadOnlyList<ApiKey> keys, ApiKeyManagerOptions options) =>
        new RedisKeyPool(_redis, keys, new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, options, Logger<RedisKeyPool>(), _time);

    protected override void Report(IKeyPool pool, string keyId, KeyOutcome outcome) =>
        Assert.True(((RedisKeyPool)pool).Report(keyId, outcome));

    protected override void Advance(TimeSpan by) => _time.Advance(by);

    // The pool's clock is the fake's on every call: a later call never reads an earlier time. (When the fake's distance from
    // the system clock was added to Redis's TIME, each call's clock carried the real milliseconds it took, and a RetryAfter
    // came out over the cooldown it is counted from whenever an acquire ran faster than the report before it.)
    [Fact]
    public void Acquire_FakeClock_RetryAfterIsTheWholeCooldownOnEveryCall()
    {
        var key = new ApiKey(Canary(1), Now);
        using var pool = (RedisKeyPool)Create([key], Options(o => o.EnvironmentFaultGuard = false));
        var cooldown = TimeSpan.FromMinutes(2);
        Report(pool, key.Id, KeyOutcome.Failed(KeyFailure.RateLimited(cooldown, RateLimitScope.Minute)));

        var retryAfters = Enumerable.Range(0, 200).Select(_ => Assert.Throws<NoAvailableKeyException>(() => pool.Acquire()).RetryAfter).ToList();

        // Both ends are the fake's time truncated to the millisecond, the same truncation: exactly the cooldown.
        Assert.All(retryAfters, r => Assert.Equal(cooldown, r));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _redis.Dispose();
        }
    }
}
