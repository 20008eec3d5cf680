using System.Net;
using ApiKeys.Gateway.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>
/// Gateway:InlineIo: on the local store the socket threads run the requests (said in the start-up line), and the gateway
/// serves many requests at once that way, failover included; off when asked. (With Redis it is never on: RedisGatewayTests.)
/// </summary>
public sealed class InlineIoTests
{
    private const string Generate = "v1beta/models/gemini-2.5-flash:generateContent";

    [Fact]
    public async Task LocalStore_RunsInline_AndServesConcurrentRequestsWithFailover()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 2);
        h.Server.Always(h.Keys[0], FakeReply.Error("429-per-minute-requests"));

        var calls = Enumerable.Range(0, 40).Select(async _ =>
        {
            using var response = await h.SendAsync(h.Gemini(Generate));
            await response.Content.ReadAsStringAsync();
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(calls);

        Assert.Contains(h.Gateway.Lines, l => l.Contains("gateway listening on", StringComparison.Ordinal) && l.EndsWith("; I/O inline on the socket threads", StringComparison.Ordinal));
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task InlineIoFalse_KeepsTheThreadPool()
    {
        await using var h = await GatewayHarness.StartAsync(2, "--Gateway:InlineIo", "false");

        using var response = await h.SendAsync(h.Gemini(Generate));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(h.Gateway.Lines, l => l.Contains("gateway listening on", StringComparison.Ordinal) && l.EndsWith("; I/O on the thread pool", StringComparison.Ordinal));
    }
}
