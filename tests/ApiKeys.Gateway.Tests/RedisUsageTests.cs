using System.Text;
using System.Text.Json;
using ApiKeys.Gateway.Tests.Support;
using ApiKeys.Gateway.Tokens;
using ApiKeys.Redis.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>Two gateway processes on one real redis-server: their usage aggregates add up exactly in Redis, which holds no key and no token.</summary>
public sealed class RedisUsageTests : IDisposable
{
    private const string Pool = "usage-tests";
    private readonly RedisServer _redis = new();
    private readonly GatewayStore _store = new(TestKeys.Many(2));

    public void Dispose()
    {
        _store.Dispose();
        _redis.Dispose();
    }

    [Fact]
    public async Task TwoGateways_ScriptedRunsOnEach_UsageFromRedisSumsExactly()
    {
        await using var server = await FakeGeminiServer.StartAsync();
        foreach (var key in _store.Keys)
        {
            server.Always(key, FakeReply.WithUsage());
        }

        server.Script(_store.Keys[0], FakeReply.Error("429-per-minute-requests"));
        string alice = await CreateTokenAsync("alice"), bob = await CreateTokenAsync("bob");
        var gateways = await Task.WhenAll(Start(server), Start(server));
        try
        {
            await Task.WhenAll(gateways.Select(g => UsageTests.RunScriptAsync(g.Client, alice, bob)));
            foreach (var g in gateways)
            {
                await UsageTests.ScrapeUntilAsync(g.Client, m => m.Sum("apikeys_gateway_requests_total") >= 9);
            }
        }
        finally
        {
            foreach (var g in gateways)
            {
                Assert.Equal(0, await g.StopAsync());
                await g.DisposeAsync();
            }
        }

        var (code, output, error) = await CliProcess.RunAsync(_store.Path, "usage", "--json", "--by", "token", "--since", "1h", "--redis", _redis.ConnectionString, "--pool", Pool);
        Assert.True(code == 0, error);
        using var usage = JsonDocument.Parse(output);
        var total = usage.RootElement.GetProperty("total");
        var tokens = total.GetProperty("tokens");
        // Each run: 9 requests, 7 successes, 1 failure; the one scripted 429 is met by one of the two runs.
        Assert.Equal((18, 14, 2, 1), (total.GetProperty("requests").GetInt32(), total.GetProperty("successes").GetInt32(), total.GetProperty("failures").GetInt32(),
            total.GetProperty("retries").GetInt32()));
        Assert.Equal((120, 198, 28, 54), (tokens.GetProperty("input").GetInt32(), tokens.GetProperty("output").GetInt32(), tokens.GetProperty("cached").GetInt32(),
            tokens.GetProperty("thinking").GetInt32()));
        Assert.Contains("Redis pool", usage.RootElement.GetProperty("source").GetString(), StringComparison.Ordinal);
        // Both gateways wrote their request logs into the one usage.db of their shared store directory, neither losing a row.
        var (logCode, logOutput, logError) = await CliProcess.RunAsync(_store.Path, "log", "--json", "--since", "1h");
        Assert.True(logCode == 0, logError);
        using var log = JsonDocument.Parse(logOutput);
        var entries = log.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(18, entries.Count);
        Assert.Equal(18, entries.Select(e => e.GetProperty("id").GetInt64()).Distinct().Count());
        await AssertRedisHoldsNoSecretAsync(alice, bob);
        UsageTests.AssertNoSecretIn(_store.Path, alice, bob);
    }

    private Task<GatewayProcess> Start(FakeGeminiServer server) =>
        GatewayProcess.StartAsync(_store.Path, server.BaseAddress, "--redis", _redis.ConnectionString, "--pool", Pool);

    private async Task<string> CreateTokenAsync(string name)
    {
        using var connection = _redis.Connect();
        using var tokens = new RedisClientTokenStore(connection, Pool);
        return (await tokens.CreateAsync(new ClientTokenRequest { Name = name })).Token;
    }

    private async Task AssertRedisHoldsNoSecretAsync(params string[] tokens)
    {
        using var admin = _redis.Admin();
        var db = admin.GetDatabase();
        var dump = new StringBuilder();
        foreach (var key in admin.GetServers()[0].Keys(pattern: "*"))
        {
            dump.Append(key).Append('\n');
            switch (await db.KeyTypeAsync(key))
            {
                case StackExchange.Redis.RedisType.Hash:
                    foreach (var entry in await db.HashGetAllAsync(key))
                    {
                        dump.Append(entry.Name).Append('=').Append(entry.Value).Append('\n');
                    }

                    break;
                case StackExchange.Redis.RedisType.String:
                    dump.Append(await db.StringGetAsync(key)).Append('\n');
                    break;
                case StackExchange.Redis.RedisType.Set:
                    dump.AppendJoin('\n', await db.SetMembersAsync(key)).Append('\n');
                    break;
                case StackExchange.Redis.RedisType.SortedSet:
                    dump.AppendJoin('\n', await db.SortedSetRangeByRankAsync(key)).Append('\n');
                    break;
                case StackExchange.Redis.RedisType.List:
                    dump.AppendJoin('\n', await db.ListRangeAsync(key)).Append('\n');
                    break;
                default:
                    break;
            }
        }

        string text = dump.ToString();
        Assert.Contains(":usage:", text, StringComparison.Ordinal);
        TestKeys.AssertNoSecret(text, "Redis");
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        }
    }
}
