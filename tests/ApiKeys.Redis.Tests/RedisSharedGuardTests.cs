using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Redis.Tests.Support;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests;

/// <summary>
/// The environment-fault guard and the request limits are shared through Redis: two pools (two multiplexers, as two
/// processes would have) over one Redis and one pool name each see what the other counted.
/// </summary>
public sealed class RedisSharedGuardTests : IClassFixture<RedisServer>, IDisposable
{
    private readonly RedisServer _server;
    private readonly List<IDisposable> _owned = [];

    public RedisSharedGuardTests(RedisServer server) => _server = server;

    public void Dispose() => Enumerable.Reverse(_owned).ToList().ForEach(o => o.Dispose());

    [Fact]
    public void Guard_FailuresSplitAcrossTwoPools_BothBackOffAndNoKeyIsDisabled()
    {
        var now = DateTimeOffset.UtcNow;
        var keys = Enumerable.Range(0, 4).Select(i => new ApiKey(TestKeys.Gemini(i), now, project: $"projects/{i}")).ToArray();
        var (a, b) = TwoPools(keys, new ApiKeyManagerOptions());

        a.Report(keys[0].Id, KeyOutcome.Failed(KeyFailure.InvalidKey()));
        a.Report(keys[1].Id, KeyOutcome.Failed(KeyFailure.InvalidKey()));
        b.Report(keys[2].Id, KeyOutcome.Failed(KeyFailure.InvalidKey()));

        Assert.Equal(NoKeyReason.EnvironmentFault, Assert.Throws<NoAvailableKeyException>(() => a.Acquire()).Reason);
        Assert.Equal(NoKeyReason.EnvironmentFault, Assert.Throws<NoAvailableKeyException>(() => b.Acquire()).Reason);
        // Keys 0 and 1 were disabled by a's reports, and put back by b's (which tripped the guard).
        Assert.All(a.GetStatuses(), s => Assert.NotEqual(KeyAvailability.Disabled, s.Availability));
    }

    [Fact]
    public void Guard_TrippedByOnePool_TheOtherExcusesItsNextFailure()
    {
        var now = DateTimeOffset.UtcNow;
        var keys = Enumerable.Range(0, 5).Select(i => new ApiKey(TestKeys.Gemini(i), now, project: $"projects/{i}")).ToArray();
        var (a, b) = TwoPools(keys, new ApiKeyManagerOptions());
        for (int i = 0; i < 3; i++)
        {
            a.Report(keys[i].Id, KeyOutcome.Failed(KeyFailure.InvalidKey()));
        }

        b.Report(keys[4].Id, KeyOutcome.Failed(KeyFailure.InvalidKey()));

        Assert.NotEqual(KeyAvailability.Disabled, b.GetStatuses().Single(s => s.Id == keys[4].Id).Availability);
    }

    [Fact]
    public void RequestLimit_CountedAcrossTwoPools_KeyStepsAsideForBoth()
    {
        var keys = new[] { new ApiKey(TestKeys.Gemini(0), DateTimeOffset.UtcNow) };
        var options = new ApiKeyManagerOptions();
        options.RequestLimits.Add(new RequestLimit { Model = "gemini-2.5-pro", PerMinute = 2 });
        var (a, b) = TwoPools(keys, options);
        var events = new List<KeyEventArgs>();
        b.KeyChanged += (_, e) => events.Add(e);

        a.Acquire("gemini-2.5-pro").Succeeded();
        b.Acquire("gemini-2.5-pro").Succeeded();

        Assert.Equal(NoKeyReason.Cooling, Assert.Throws<NoAvailableKeyException>(() => a.Acquire("gemini-2.5-pro")).Reason);
        Assert.Equal(NoKeyReason.Cooling, Assert.Throws<NoAvailableKeyException>(() => b.Acquire("gemini-2.5-pro")).Reason);
        var cooling = Assert.Single(events);
        Assert.Equal((KeyEventKind.Cooling, "gemini-2.5-pro"), (cooling.Kind, cooling.Model));
        Assert.Contains("request limit", cooling.Reason, StringComparison.Ordinal);
        // Another model is not limited.
        using var other = a.Acquire("gemini-2.5-flash");
        Assert.Equal(keys[0].Id, other.KeyId);
    }

    private (RedisKeyPool A, RedisKeyPool B) TwoPools(ApiKey[] keys, ApiKeyManagerOptions options)
    {
        var name = new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() };
        return (Track(new RedisKeyPool(Track(_server.Connect()), keys, name, options)),
            Track(new RedisKeyPool(Track(_server.Connect()), keys, name, options)));
    }

    private T Track<T>(T owned)
        where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }
}
