using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Redis.Tests.Support;
using ApiKeys.Tests.Behaviour;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests;

/// <summary>
/// The shared behaviour suite on <see cref="RedisKeyPool"/>, against the real redis-server the tests start: every case.
/// The pool's clock is Redis's, moved by a <see cref="FakeTimeProvider"/> (the pool adds the fake's distance from the
/// system clock to Redis's <c>TIME</c>), so time moves without sleeping.
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

    // Redis's clock runs on by itself between the test's reads (milliseconds).
    protected override TimeSpan ClockSlack => TimeSpan.FromSeconds(2);

    protected override DateTimeOffset Now => _time.GetUtcNow();

    protected override IKeyPool Create(IReadOnlyList<ApiKey> keys, ApiKeyManagerOptions options) =>
        new RedisKeyPool(_redis, keys, new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, options, Logger<RedisKeyPool>(), _time);

    protected override void Report(IKeyPool pool, string keyId, KeyOutcome outcome) =>
        Assert.True(((RedisKeyPool)pool).Report(keyId, outcome));

    protected override void Advance(TimeSpan by) => _time.Advance(by);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _redis.Dispose();
        }
    }
}
