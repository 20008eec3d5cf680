using ApiKeys.Pool;
using ApiKeys.Redis.Tests.Support;
using ApiKeys.Storage;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace ApiKeys.Redis.Tests;

public sealed class RedisKeyPoolTests : IClassFixture<RedisServer>, IDisposable
{
    private static readonly ApiKeyManagerOptions Quiet = new() { EnvironmentFaultGuard = false };
    private readonly RedisServer _server;
    private readonly ConnectionMultiplexer _redis;
    private readonly List<IDisposable> _owned = [];

    public RedisKeyPoolTests(RedisServer server)
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
    public void Acquire_ThreeKeys_HandsOutEachInTurn()
    {
        var pool = Pool(TestKeys.Many(3), Name());

        var ids = Enumerable.Range(0, 6).Select(_ => { using var l = pool.Acquire(); l.Succeeded(); return l.KeyId; }).ToList();

        Assert.Equal(3, ids.Take(3).Distinct().Count());
        Assert.Equal(ids.Take(3), ids.Skip(3));
    }

    [Fact]
    public void Report_RateLimited_CoolsKeyForAnotherProcessAtOnce()
    {
        string name = Name();
        var keys = TestKeys.Many(2);
        var a = Pool(keys, name);
        using var other = _server.Connect();
        var b = Track(new RedisKeyPool(other, Keys(keys), new RedisKeyPoolOptions { PoolName = name }, Quiet));

        var lease = a.Acquire();
        string cooled = lease.KeyId;
        lease.Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(5), RateLimitScope.Minute));
        var seen = Enumerable.Range(0, 10).Select(_ => { using var l = b.Acquire(); l.Succeeded(); return l.KeyId; }).ToList();

        Assert.DoesNotContain(cooled, seen);
        var status = b.GetStatuses().Single(s => s.Id == cooled);
        Assert.Equal(KeyAvailability.Cooling, status.Availability);
        Assert.InRange(status.AvailableAt!.Value - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(4), TimeSpan.FromMinutes(6));
    }

    [Fact]
    public void Events_CoolingDisabledEnabledAndAlert_RaisedAsByTheLocalPool()
    {
        var pool = Pool(TestKeys.Many(2), Name());
        var events = new List<KeyEventArgs>();
        var alerts = new List<KeyAlertEventArgs>();
        pool.KeyChanged += (_, e) => events.Add(e);
        pool.Alert += (_, a) => alerts.Add(a);
        var first = pool.Keys[0].Id;

        for (int i = 0; i < 3; i++)
        {
            pool.Report(first, KeyOutcome.Failed(KeyFailure.Unknown()));
        }

        pool.Report(pool.Keys[1].Id, KeyOutcome.Failed(KeyFailure.InvalidKey("revoked")));
        pool.Revalidated(pool.Keys[1].Id, valid: true);

        Assert.Equal([KeyEventKind.Cooling, KeyEventKind.Disabled, KeyEventKind.Enabled], events.Select(e => e.Kind));
        Assert.Equal(first, Assert.Single(alerts).KeyId);
        Assert.All(events, e => Assert.DoesNotContain("CANARY", e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Acquire_AllKeysCooling_ThrowsWithRetryAfter()
    {
        var pool = Pool(TestKeys.Many(1), Name());
        pool.Acquire().Failed(KeyFailure.RateLimited(TimeSpan.FromSeconds(30), RateLimitScope.Minute));

        var e = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());

        Assert.Equal(NoKeyReason.Cooling, e.Reason);
        Assert.InRange(e.RetryAfter!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public async Task AcquireAsync_ShortCooldown_WaitsForTheKeyToComeBack()
    {
        var pool = Pool(TestKeys.Many(1), Name());
        pool.Acquire().Failed(KeyFailure.RateLimited(TimeSpan.FromMilliseconds(300), RateLimitScope.Minute));

        using var lease = await pool.AcquireAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(pool.Keys[0].Id, lease.KeyId);
    }

    [Fact]
    public void Acquire_ModelRateLimited_SkipsKeyForThatModelOnly()
    {
        var pool = Pool(TestKeys.Many(2), Name());
        var first = pool.Acquire("gemini-pro");
        first.Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(5), RateLimitScope.Minute, model: "gemini-pro"));

        var forModel = Enumerable.Range(0, 4).Select(_ => { using var l = pool.Acquire("gemini-pro"); l.Succeeded(); return l.KeyId; }).ToList();
        var forOther = Enumerable.Range(0, 4).Select(_ => { using var l = pool.Acquire("gemini-flash"); l.Succeeded(); return l.KeyId; }).ToList();

        Assert.DoesNotContain(first.KeyId, forModel);
        Assert.Contains(first.KeyId, forOther);
    }

    [Fact]
    public void Acquire_MaxLeasesPerKeyAcrossPools_ThrowsAllBusyAtTheCap()
    {
        string name = Name();
        var keys = TestKeys.Many(2);
        var options = new ApiKeyManagerOptions { MaxLeasesPerKey = 1, EnvironmentFaultGuard = false };
        var a = Pool(keys, name, options);
        using var other = _server.Connect();
        var b = Track(new RedisKeyPool(other, Keys(keys), new RedisKeyPoolOptions { PoolName = name }, options));
        var l1 = a.Acquire();
        var l2 = b.Acquire();

        var e = Assert.Throws<NoAvailableKeyException>(() => a.Acquire());
        l1.Dispose();
        using var l3 = b.Acquire();

        Assert.Equal(NoKeyReason.AllBusy, e.Reason);
        Assert.NotEqual(l1.KeyId, l2.KeyId);
        Assert.Equal(l1.KeyId, l3.KeyId);
        l2.Succeeded();
    }

    [Fact]
    public void Report_SameLeaseTwice_CountsOnce()
    {
        var pool = Pool(TestKeys.Many(1), Name());
        var lease = pool.Acquire();

        var first = pool.Apply(lease.KeyId, KeyOutcome.Success(), lease.LeaseId);
        var retried = pool.Apply(lease.KeyId, KeyOutcome.Success(), lease.LeaseId);

        var status = pool.GetStatuses().Single();
        Assert.Equal(RedisWriteStatus.Applied, first);
        Assert.Equal(RedisWriteStatus.Duplicate, retried);
        Assert.Equal(1, status.State.TotalSuccesses);
        Assert.Equal(0, status.InFlight);
    }

    [Fact]
    public void Report_ProjectRateLimited_CoolsEveryKeyOfTheProject()
    {
        var now = DateTimeOffset.UtcNow;
        var keys = new[]
        {
            new Keys.ApiKey(TestKeys.Gemini(0), now, project: "p1"),
            new Keys.ApiKey(TestKeys.Gemini(1), now, project: "p1"),
            new Keys.ApiKey(TestKeys.Gemini(2), now, project: "p2"),
        };
        var pool = Track(new RedisKeyPool(_redis, keys, new RedisKeyPoolOptions { PoolName = Name() }, Quiet));

        pool.Report(keys[0].Id, KeyOutcome.Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(1), RateLimitScope.Minute)));

        var statuses = pool.GetStatuses().ToDictionary(s => s.Id);
        Assert.Equal(KeyAvailability.Cooling, statuses[keys[0].Id].Availability);
        Assert.Equal(KeyAvailability.Cooling, statuses[keys[1].Id].Availability);
        Assert.Equal(KeyAvailability.Available, statuses[keys[2].Id].Availability);
    }

    [Fact]
    public void Revalidated_InvalidKeyDisabled_ComesBackForEveryProcess()
    {
        var pool = Pool(TestKeys.Many(1), Name());
        pool.Acquire().Failed(KeyFailure.InvalidKey("API key not valid"));
        var disabled = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());

        pool.Revalidated(pool.Keys[0].Id, valid: true);
        using var lease = pool.Acquire();

        Assert.Equal(NoKeyReason.AllDisabled, disabled.Reason);
        Assert.Equal(pool.Keys[0].Id, lease.KeyId);
    }

    [Fact]
    public void Acquire_TwoPoolsOneRedis_KeptApartByName()
    {
        var keys = TestKeys.Many(1);
        var a = Pool(keys, Name());
        var b = Pool(keys, Name());

        a.Acquire().Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(5), RateLimitScope.Minute));
        using var fromB = b.Acquire();

        Assert.Throws<NoAvailableKeyException>(() => a.Acquire());
        Assert.Equal(keys.Length, b.GetStatuses().Count(s => s.IsUsable));
    }

    [Fact]
    public void Acquire_KeyHeldOnlyByAnotherProcess_NeverHandedOut()
    {
        string name = Name();
        var a = Pool(TestKeys.Many(2), name);
        var b = Pool(TestKeys.Many(1), name);

        var ids = Enumerable.Range(0, 6).Select(_ => { using var l = b.Acquire(); l.Succeeded(); return l.KeyId; }).Distinct().ToList();

        Assert.Equal([b.Keys[0].Id], ids);
        Assert.Equal(2, a.Keys.Count);
    }

    [Fact]
    public void Redis_AfterUse_HoldsNoSecret()
    {
        string name = Name();
        var pool = Pool(TestKeys.Many(2), name);
        pool.Acquire().Failed(KeyFailure.InvalidKey("bad key " + TestKeys.Gemini(0)));
        using var admin = _server.Admin();
        var server = admin.GetServer(admin.GetEndPoints()[0]);

        var dump = new List<string>();
        foreach (var key in server.Keys(pattern: $"apikeys:{{{name}}}:*"))
        {
            dump.Add(key!);
            var type = admin.GetDatabase().KeyType(key);
            if (type == RedisType.Hash)
            {
                dump.AddRange(admin.GetDatabase().HashGetAll(key).Select(e => $"{e.Name}={e.Value}"));
            }
            else if (type == RedisType.String)
            {
                dump.Add(admin.GetDatabase().StringGet(key)!);
            }
        }

        Assert.NotEmpty(dump);
        Assert.DoesNotContain(dump, d => d.Contains("CANARY", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ReadAsync_PoolInRedis_ListsEveryRegisteredKeyById()
    {
        string name = Name();
        var pool = Pool(TestKeys.Many(2), name);
        pool.Acquire().Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(1), RateLimitScope.Minute));

        var statuses = await RedisPoolStatus.ReadAsync(_server.ConnectionString, name);
        var pools = await RedisPoolStatus.ListPoolsAsync(_redis);

        Assert.Equal(pool.Keys.Select(k => k.Id).Order(), statuses.Select(s => s.Id).Order());
        Assert.All(statuses, s => Assert.Equal(s.Id, s.Mask));
        Assert.Single(statuses, s => s.Availability == KeyAvailability.Cooling);
        Assert.Contains(name, pools);
    }

    [Fact]
    public void UseRedis_WithKeysFromConfiguration_ResolvesRedisKeyPool()
    {
        string name = Name();
        var services = new ServiceCollection();
        services.AddApiKeyManager(o => o.EnvironmentFaultGuard = false)
            .UseKeys(TestKeys.Many(2))
            .UseRedis(_server.ConnectionString, o => o.PoolName = name);
        using var provider = services.BuildServiceProvider();

        var pool = provider.GetRequiredService<IKeyPool>();
        using var lease = pool.Acquire();

        Assert.IsType<RedisKeyPool>(pool);
        Assert.Equal(2, pool.Keys.Count);
        lease.Succeeded();
        Assert.Equal(1, pool.GetStatuses().Sum(s => s.State.TotalSuccesses));
    }

    [Fact]
    public void FromStore_StoreStates_SeedKeysRedisDoesNotKnow()
    {
        var keys = Keys(TestKeys.Many(1));
        var store = new MemoryKeyStore(keys);
        store.SyncStates([new KeyStateChange(keys[0].Id, KeyState.Empty with { TotalSuccesses = 41 }, null)]);

        var pool = Track(RedisKeyPool.FromStore(_redis, store, new RedisKeyPoolOptions { PoolName = Name() }, Quiet));
        pool.Acquire().Succeeded();

        Assert.Equal(42, pool.GetStatuses().Single().State.TotalSuccesses);
    }

    [Fact]
    public void Constructor_BadPoolName_Throws()
    {
        Assert.ThrowsAny<Microsoft.Extensions.Options.OptionsValidationException>(
            () => new RedisKeyPool(_redis, [], new RedisKeyPoolOptions { PoolName = "a}b" }));
    }

    internal static List<Keys.ApiKey> Keys(IEnumerable<string> secrets) => [.. secrets.Select(s => new Keys.ApiKey(s, DateTimeOffset.UnixEpoch))];

    internal static string Name() => "t" + Guid.NewGuid().ToString("N")[..12];

    private RedisKeyPool Pool(string[] keys, string name, ApiKeyManagerOptions? options = null) =>
        Track(new RedisKeyPool(_redis, Keys(keys), new RedisKeyPoolOptions { PoolName = name }, options ?? Quiet));

    private T Track<T>(T owned)
        where T : IDisposable
    {
        _owned.Add(owned);
        return owned;
    }
}
