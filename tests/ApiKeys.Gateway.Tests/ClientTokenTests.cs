using System.Net;
using System.Text.Json;
using ApiKeys.Gateway.Tests.Support;
using ApiKeys.Gateway.Tokens;

namespace ApiKeys.Gateway.Tests;

/// <summary>No client gets in without a token; tokens are taken from wherever SDKs put them, limited, and revoked at once.</summary>
public sealed class ClientTokenTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private const string Generate = "v1beta/models/gemini-2.5-flash:generateContent";
    private readonly GatewayHarness _h = fixture.Harness;

    [Fact]
    public async Task Request_NoOrUnknownToken_401InTheRoutesShape()
    {
        int before = _h.Server.Requests.Count;
        using var none = new HttpRequestMessage(HttpMethod.Post, Generate) { Content = new StringContent("{}") };

        using var missing = await _h.SendAsync(none);
        using var unknown = await _h.SendAsync(_h.Gemini(Generate, token: ClientTokenFormat.Generate()));
        using var openAi = await _h.SendAsync(_h.OpenAi("v1/chat/completions", token: "not-a-token"));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Contains("\"status\":\"UNAUTHENTICATED\"", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, openAi.StatusCode);
        using var doc = JsonDocument.Parse(await openAi.Content.ReadAsStringAsync());
        Assert.Equal("invalid_api_key", doc.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(before, _h.Server.Requests.Count);
    }

    [Fact]
    public async Task Request_TokenInTheQuery_AcceptedAndNotForwarded()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{Generate}?key={_h.Token}") { Content = new StringContent("{}") };

        using var response = await _h.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = _h.Server.Requests.Last();
        Assert.Equal("", seen.Query);
        Assert.Contains(seen.GoogKey, _h.Keys);
    }

    [Fact]
    public async Task Request_ExpiredToken_401()
    {
        string token;
        using (var store = new JsonClientTokenStore(_h.Store.Path, new PastTime()))
        {
            token = (await store.CreateAsync(new ClientTokenRequest { Name = "expired", ExpiresAt = new DateTimeOffset(2020, 1, 2, 0, 0, 0, TimeSpan.Zero) })).Token;
        }

        using var response = await _h.SendAsync(_h.Gemini(Generate, token: token));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Revoke_ByTheCli_RefusedFromTheNextRequest()
    {
        string token = _h.Store.Token("to-revoke");
        using var before = await _h.SendAsync(_h.Gemini(Generate, token: token));

        var revoke = await CliProcess.RunAsync(_h.Store.Path, "token", "revoke", "to-revoke");
        using var after = await _h.SendAsync(_h.Gemini(Generate, token: token));

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(0, revoke.ExitCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task Model_NotAllowed_403InTheRoutesShape()
    {
        string token = _h.Store.Token("flash-only", models: ["gemini-2.5-flash", "gemini-embedding-*"]);

        using var allowed = await _h.SendAsync(_h.Gemini(Generate, token: token));
        using var prefix = await _h.SendAsync(_h.Gemini("v1beta/models/gemini-embedding-001:embedContent", token: token));
        using var gemini = await _h.SendAsync(_h.Gemini("v1beta/models/gemini-2.5-pro:generateContent", token: token));
        using var openAi = await _h.SendAsync(_h.OpenAi("v1/chat/completions", "{\"model\":\"models/gemini-2.5-pro\",\"messages\":[]}", token: token));

        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, prefix.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, gemini.StatusCode);
        Assert.Contains("\"status\":\"PERMISSION_DENIED\"", await gemini.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, openAi.StatusCode);
        Assert.Contains("\"code\":\"model_not_allowed\"", await openAi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limit_RequestsPerMinute_429WithRetryAfterAfterTheLimit()
    {
        string token = _h.Store.Token("two-a-minute", rpm: 2);

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (int i = 0; i < 3; i++)
        {
            last?.Dispose();
            last = await _h.SendAsync(_h.Gemini(Generate, token: token));
            statuses.Add(last.StatusCode);
        }

        using var refused = last!;
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal("ClientRateLimited", refused.Headers.GetValues("x-apikeys-rejected").Single());
        Assert.InRange(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Contains("requests per minute", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limit_Concurrency_SecondRequestInFlightRefusedUntilTheFirstEnds()
    {
        string token = _h.Store.Token("one-at-a-time", concurrency: 1);
        var gate = new TaskCompletionSource();
        foreach (var key in _h.Keys)
        {
            _h.Server.Script(key, FakeReply.Slow(gate.Task, FakeReply.Ok()));
        }

        int before = _h.Server.Requests.Count;
        var first = _h.SendAsync(_h.Gemini(Generate, token: token));
        await WaitUntilAsync(() => _h.Server.Requests.Count > before);
        using var second = await _h.SendAsync(_h.Gemini(Generate, token: token));
        gate.SetResult();
        using var firstResponse = await first;
        _h.Server.Reset();
        using var third = await _h.SendAsync(_h.Gemini(Generate, token: token));

        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("requests in flight", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, firstResponse.StatusCode);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task Store_NoTokenAtAll_NobodyGetsIn()
    {
        await using var server = await FakeGeminiServer.StartAsync();
        using var store = new GatewayStore(TestKeys.Many(1));
        await using var gateway = await GatewayProcess.StartAsync(store.Path, server.BaseAddress);
        using var request = new HttpRequestMessage(HttpMethod.Post, Generate) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", store.Keys[0]);

        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(server.Requests);
        await gateway.WaitForLineAsync(l => l.Contains("No client token exists yet", StringComparison.Ordinal));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Delay(10, cts.Token);
        }
    }

    /// <summary>A clock in 2020, so a token can be created with an expiry that has passed by now.</summary>
    private sealed class PastTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => new(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
    }
}
