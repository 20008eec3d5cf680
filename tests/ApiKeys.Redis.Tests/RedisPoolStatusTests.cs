using ApiKeys.Redis.Tests.Support;

namespace ApiKeys.Redis.Tests;

public sealed class RedisPoolStatusTests
{
    [Fact]
    public async Task ReadAsync_PasswordBeforeTheHostUnreachable_MessageMasksIt()
    {
        // StackExchange.Redis reads no URL: what precedes '@' becomes part of the host name, and messages used to repeat it.
        int port = RedisServer.FreePort();

        var e = await Assert.ThrowsAsync<RedisKeyPoolUnavailableException>(
            () => RedisPoolStatus.ReadAsync($"redis://:hunter2-redis-pw@127.0.0.1:{port},connectTimeout=500", "p"));

        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
        Assert.Contains("***@127.0.0.1", e.Message, StringComparison.Ordinal);
    }
}
