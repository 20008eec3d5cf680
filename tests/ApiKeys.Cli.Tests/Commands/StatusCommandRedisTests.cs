using System.Text.Json;
using ApiKeys.Cli.Tests.Support;
using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Redis;

namespace ApiKeys.Cli.Tests.Commands;

/// <summary><c>apikeys status --redis</c> against a real redis-server, with a pool seeded by the library's RedisKeyPool.</summary>
public sealed class StatusCommandRedisTests(RedisServer server) : IClassFixture<RedisServer>
{
    [Fact]
    public void StatusRedis_LocalStore_MasksInStoreOrderAndTheSharedCooldown()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        string pool = Seed(cool: TestKeys.Dd4x);

        var result = CliRunner.Run(dir.Path, "", "status", "--redis", server.ConnectionString, "--pool", pool, "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["AIza...YNQs", "AIza...dD4X"], items.Select(i => i.GetProperty("mask").GetString()));
        Assert.Equal([KeyIds.For(TestKeys.Ynqs), KeyIds.For(TestKeys.Dd4x)], items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal("active", items[0].GetProperty("status").GetString());
        Assert.Equal("blocked", items[1].GetProperty("status").GetString());
        Assert.Equal("Cooling", items[1].GetProperty("availability").GetString());
    }

    [Fact]
    public void StatusRedis_Text_SameRenderingAsTheLocalStatus()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        string pool = Seed(cool: null);

        var redis = CliRunner.Run(dir.Path, "", "status", "--redis", server.ConnectionString, "--pool", pool);
        var local = CliRunner.Run(dir.Path, "", "status");

        Assert.Equal(0, redis.ExitCode);
        Assert.Equal(local.Out, redis.Out);
    }

    [Fact]
    public void StatusRedis_NoLocalStore_KeysNamedByIdOneBySelector()
    {
        using var dir = new TempDirectory();
        string pool = Seed(cool: TestKeys.Dd4x);
        string id = KeyIds.For(TestKeys.Dd4x);

        var all = CliRunner.Run(dir.Path, "", "status", "--redis", server.ConnectionString, "--pool", pool, "--json");
        var one = CliRunner.Run(dir.Path, "", "status", id, "--redis", server.ConnectionString, "--pool", pool, "--json");

        Assert.Equal(0, all.ExitCode);
        using var json = JsonDocument.Parse(all.Out);
        Assert.Equal(2, json.RootElement.GetArrayLength());
        Assert.DoesNotContain("AIza", all.Out, StringComparison.Ordinal);
        using var single = JsonDocument.Parse(one.Out);
        Assert.Equal(id, Assert.Single(single.RootElement.EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public void StatusRedis_Unreachable_Exit1OneLine()
    {
        using var dir = new TempDirectory();
        int port = RedisServer.FreePort();

        var result = CliRunner.Run(dir.Path, "", "status", "--redis", $"127.0.0.1:{port},connectTimeout=500", "--pool", "p");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"apikeys: Redis (127.0.0.1:{port}) cannot be reached", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void StatusRedis_UrlWithPassword_UsageErrorPasswordMasked()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "status", "--redis", "redis://:hunter2-redis-pw@127.0.0.1:6379");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("not a URL (redis://***@127.0.0.1:6379)", result.Error);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hunter2-redis-pw@127.0.0.1:{0},connectTimeout=500")]
    [InlineData("127.0.0.1:{0},password=hunter2-redis-pw,connectTimeout=500")]
    public void StatusRedis_UnreachableWithPasswordVerbose_PasswordInNoLine(string connection)
    {
        using var dir = new TempDirectory();
        string given = string.Format(System.Globalization.CultureInfo.InvariantCulture, connection, RedisServer.FreePort());

        var result = CliRunner.Run(dir.Path, "", "status", "--redis", given, "--verbose");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("apikeys: Redis (", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_PoolWithoutRedis_UsageError()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "status", "--pool", "p");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--pool needs --redis", result.Error);
    }

    /// <summary>A fresh pool of the two canary keys; <paramref name="cool"/> is rate-limited for 5 minutes through the library.</summary>
    private string Seed(string? cool)
    {
        string name = "cli-" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        using var redis = RedisKeyPool.ConnectMultiplexer(server.ConnectionString);
        using var pool = new RedisKeyPool(redis, [new ApiKey(TestKeys.Ynqs, now), new ApiKey(TestKeys.Dd4x, now)],
            new RedisKeyPoolOptions { PoolName = name }, new ApiKeyManagerOptions { EnvironmentFaultGuard = false });
        if (cool is not null)
        {
            string id = KeyIds.For(cool);
            while (true)
            {
                using var lease = pool.Acquire();
                if (lease.KeyId == id)
                {
                    lease.Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(5), RateLimitScope.Minute));
                    break;
                }

                lease.Succeeded();
            }
        }

        return name;
    }
}
