using System.Net;
using ApiKeys.Http.Tests.Support;
using ApiKeys.Pool;

namespace ApiKeys.Http.Tests;

/// <summary>ApiKeyManagerOptions.RequestLimits end to end through the handler (the limit itself is the core pool's).</summary>
public class ProactiveLimitTests
{
    [Fact]
    public async Task SendAsync_KeyAtPerMinuteLimit_NextRequestGoesToAnotherKeyWithout429()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 2,
            configurePool: o => o.RequestLimits.Add(new RequestLimit { Model = "gemini-2.5-flash", PerMinute = 1 }));

        using var first = await h.GenerateAsync();
        using var second = await h.GenerateAsync();
        var third = await Assert.ThrowsAsync<NoAvailableKeyException>(() => h.GenerateAsync());

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal([0, 1], h.KeysSeen());
        Assert.NotNull(third.RetryAfter);
        Assert.InRange(third.RetryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }
}
