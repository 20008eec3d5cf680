using System.Net;
using System.Text.Json;
using ApiKeys.Gateway.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>Keys that fail move the request to another key; when none is left, the client learns when to come back.</summary>
public sealed class NoKeyTests
{
    [Fact]
    public async Task RateLimited_MovedToAnotherKey_ClientSeesSuccess()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 2);
        h.Server.Always(h.Keys[0], FakeReply.Error("429-per-minute-requests"));

        using var first = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent"));
        using var second = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(h.Server.Requests, r => r.GoogKey == h.Keys[0]);
        Assert.Equal(2, h.Server.Requests.Count(r => r.GoogKey == h.Keys[1]));
        await h.Gateway.WaitForLineAsync(l => l.Contains("retries=1", StringComparison.Ordinal) && l.Contains(" 200 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryKeyCooling_429WithIntegerRetryAfterAndRetryInfo()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 1);
        h.Server.Always(h.Keys[0], FakeReply.Error("429-per-minute-requests"));

        using var passedThrough = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent"));
        using var gemini = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent"));
        using var openAi = await h.SendAsync(h.OpenAi("v1/chat/completions"));
        string geminiBody = await gemini.Content.ReadAsStringAsync();
        string openAiBody = await openAi.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, passedThrough.StatusCode);
        Assert.Equal("RateLimited", passedThrough.Headers.GetValues("x-apikeys-failure").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, gemini.StatusCode);
        Assert.Equal("NoKeyAvailable", gemini.Headers.GetValues("x-apikeys-rejected").Single());
        string retryAfter = gemini.Headers.GetValues("Retry-After").Single();
        Assert.InRange(int.Parse(retryAfter, System.Globalization.CultureInfo.InvariantCulture), 40, 46);
        using var doc = JsonDocument.Parse(geminiBody);
        var error = doc.RootElement.GetProperty("error");
        Assert.Equal("RESOURCE_EXHAUSTED", error.GetProperty("status").GetString());
        var retryInfo = error.GetProperty("details").EnumerateArray().Single(d => d.GetProperty("@type").GetString()!.EndsWith("RetryInfo", StringComparison.Ordinal));
        Assert.Equal(retryAfter + "s", retryInfo.GetProperty("retryDelay").GetString());
        Assert.Equal(HttpStatusCode.TooManyRequests, openAi.StatusCode);
        Assert.NotNull(openAi.Headers.RetryAfter);
        using var openAiDoc = JsonDocument.Parse(openAiBody);
        Assert.Equal("rate_limit_exceeded", openAiDoc.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task EveryKeyDisabled_503SayingSo()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 1);
        h.Server.Always(h.Keys[0], FakeReply.Error("400-api-key-invalid"));

        using var passedThrough = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent"));
        using var response = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent"));
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, passedThrough.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("every key is disabled", body, StringComparison.Ordinal);
        Assert.Contains("\"status\":\"UNAVAILABLE\"", body, StringComparison.Ordinal);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task UpstreamUnreachable_502AndNoStrike()
    {
        using var store = new GatewayStore(TestKeys.Many(2));
        string token = store.Token();
        await using (var gateway = await GatewayProcess.StartAsync(store.Path, new Uri("http://127.0.0.1:1/")))
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1beta/models/gemini-2.5-flash:generateContent") { Content = new StringContent("{}") };
            request.Headers.TryAddWithoutValidation("x-goog-api-key", token);

            using var response = await gateway.Client.SendAsync(request);

            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Equal("UpstreamUnreachable", response.Headers.GetValues("x-apikeys-rejected").Single());
        }

        using var pool = ApiKeyManager.Open(store.Path);
        Assert.All(pool.GetStatuses(), s => Assert.True(s.IsUsable));
        Assert.All(pool.GetStatuses(), s => Assert.Equal(0, s.State.Failures));
    }

    [Fact]
    public async Task UpstreamSilentPastTheHeadersTimeout_504()
    {
        await using var h = await GatewayHarness.StartAsync(2, "--Gateway:ResponseHeadersTimeout", "00:00:00.5");
        foreach (var key in h.Keys)
        {
            h.Server.Always(key, FakeReply.SlowHeaders(TimeSpan.FromSeconds(30), FakeReply.Ok()));
        }

        using var response = await h.SendAsync(h.OpenAi("v1/chat/completions"));

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("\"code\":\"upstream_timeout\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
