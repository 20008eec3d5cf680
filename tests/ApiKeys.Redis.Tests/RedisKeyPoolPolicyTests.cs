using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Redis.Tests.Support;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests;

/// <summary>The failure rules a <see cref="FailureDetail"/> tells apart, and the model-less pick, as the local pool has them.</summary>
public sealed class RedisKeyPoolPolicyTests : IClassFixture<RedisServer>, IDisposable
{
    private const string Project = "projects/123456789012";
    private static readonly ApiKeyManagerOptions Quiet = new() { EnvironmentFaultGuard = false };
    private readonly RedisServer _server;
    private readonly ConnectionMultiplexer _redis;
    private readonly List<IDisposable> _owned = [];

    public RedisKeyPoolPolicyTests(RedisServer server)
    {
        _server = server;
        _redis = server.Connect();
    }

    public void Dispose()
    {
        _owned.ForEach(o => o.Dispose());
        _redis.Dispose();
    }

    [Fact]
    public void Report_ServiceDisabled_EveryKeyOfTheProjectOutForEveryProcess()
    {
        string name = RedisKeyPoolTests.Name();
        var now = DateTimeOffset.UtcNow;
        ApiKey[] keys = [new(TestKeys.Gemini(0), now, project: Project), new(TestKeys.Gemini(1), now, project: Project), new(TestKeys.Gemini(2), now, project: "projects/9")];
        var a = Track(new RedisKeyPool(_redis, keys, new RedisKeyPoolOptions { PoolName = name }, Quiet));
        using var other = _server.Connect();
        var b = Track(new RedisKeyPool(other, keys, new RedisKeyPoolOptions { PoolName = name }, Quiet));

        a.Report(keys[0].Id, KeyOutcome.Failed(KeyFailure.ServiceDisabled("Generative Language API", Project)));

        var statuses = b.GetStatuses().ToDictionary(s => s.Id);
        Assert.Equal(KeyAvailability.Disabled, statuses[keys[0].Id].Availability);
        Assert.Equal(KeyAvailability.Disabled, statuses[keys[1].Id].Availability);
        Assert.Contains("enable the Generative Language API in project 123456789012", statuses[keys[1].Id].Reason, StringComparison.Ordinal);
        Assert.True(statuses[keys[2].Id].IsUsable);
        Assert.All(Enumerable.Range(0, 4), _ => { using var l = b.Acquire(); Assert.Equal(keys[2].Id, l.KeyId); l.Succeeded(); });
    }

    [Fact]
    public void Report_Leaked_DisabledWithRotateItAndAlert()
    {
        var pool = Pool(TestKeys.Many(2));
        var alerts = new List<KeyAlertEventArgs>();
        pool.Alert += (_, a) => alerts.Add(a);
        var lease = pool.Acquire();

        lease.Failed(KeyFailure.Leaked("Your API key was reported as leaked. Please use another API key."));

        var status = pool.GetStatuses().Single(s => s.Id == lease.KeyId);
        Assert.Equal(KeyAvailability.Disabled, status.Availability);
        Assert.Contains("rotate it", status.Reason, StringComparison.Ordinal);
        Assert.Contains("rotate it", Assert.Single(alerts).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Acquire_NoModel_SkipsTheKeyCoolingForAModelWhileAnotherIsFree()
    {
        var pool = Pool(TestKeys.Many(3));
        var limited = pool.Acquire();
        limited.Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(5), RateLimitScope.Minute, "gemini-2.5-flash"));

        var seen = Enumerable.Range(0, 6).Select(_ => { using var l = pool.Acquire(); l.Succeeded(); return l.KeyId; }).ToList();

        Assert.DoesNotContain(limited.KeyId, seen);
        Assert.Equal(2, seen.Distinct().Count());
    }

    [Fact]
    public void Acquire_NoModel_EveryKeyCoolingForSomeModel_StillHandedOutInTurn()
    {
        var pool = Pool(TestKeys.Many(2));
        foreach (var key in pool.Keys)
        {
            pool.Report(key.Id, KeyOutcome.Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(5), RateLimitScope.Minute, "gemini-2.5-flash")));
        }

        var seen = Enumerable.Range(0, 4).Select(_ => { using var l = pool.Acquire(); l.Succeeded(); return l.KeyId; }).ToList();

        Assert.Equal(2, seen.Distinct().Count());
        Assert.NotEqual(seen[0], seen[1]);
    }

    private RedisKeyPool Pool(string[] keys) =>
        Track(new RedisKeyPool(_redis, RedisKeyPoolTests.Keys(keys), new RedisKeyPoolOptions { PoolName = RedisKeyPoolTests.Name() }, Quiet));

    private T Track<T>(T owned)
        where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }
}
