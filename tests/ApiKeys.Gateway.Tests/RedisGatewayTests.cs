using System.Net;
using System.Text.Json;
using ApiKeys.Gateway.Tests.Support;
using ApiKeys.Gateway.Tokens;
using ApiKeys.Redis.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>Two gateway processes on one real redis-server share the keys' state, the client tokens and their limits exactly.</summary>
public sealed class RedisGatewayTests : IAsyncLifetime, IDisposable
{
    private const string Generate = "v1beta/models/gemini-2.5-flash:generateContent";
    private readonly RedisServer _redis = new();
    private readonly GatewayStore _store = new(TestKeys.Many(2));
    private FakeGeminiServer _server = null!;
    private GatewayProcess _a = null!;
    private GatewayProcess _b = null!;

    public async Task InitializeAsync()
    {
        _server = await FakeGeminiServer.StartAsync();
        var starting = new[] { Start(), Start() };
        var both = await Task.WhenAll(starting);
        (_a, _b) = (both[0], both[1]);
    }

    public async Task DisposeAsync()
    {
        await Task.WhenAll(_a.DisposeAsync().AsTask(), _b.DisposeAsync().AsTask());
        await _server.DisposeAsync();
    }

    public void Dispose()
    {
        _store.Dispose();
        _redis.Dispose();
    }

    [Fact]
    public async Task ClientLimit_RequestsPerMinute_CountedOnceAcrossBothGateways()
    {
        string token = await CreateTokenAsync("shared-five", rpm: 5);

        var calls = Enumerable.Range(0, 8).Select(i => SendAsync(i % 2 == 0 ? _a : _b, token)).ToList();
        var statuses = await Task.WhenAll(calls);

        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(3, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task ClientLimit_Concurrency_ARequestInFlightOnOneRefusesTheOther()
    {
        string token = await CreateTokenAsync("one-at-once", concurrency: 1);
        var gate = new TaskCompletionSource();
        _server.Script(_store.Keys[0], FakeReply.Slow(gate.Task, FakeReply.Ok()));
        _server.Script(_store.Keys[1], FakeReply.Slow(gate.Task, FakeReply.Ok()));

        var first = SendAsync(_a, token);
        while (_server.Requests.IsEmpty)
        {
            await Task.Delay(10);
        }

        var second = await SendAsync(_b, token);
        gate.SetResult();
        var firstStatus = await first;
        var third = await SendAsync(_b, token);

        Assert.Equal(HttpStatusCode.TooManyRequests, second);
        Assert.Equal(HttpStatusCode.OK, firstStatus);
        Assert.Equal(HttpStatusCode.OK, third);
    }

    [Fact]
    public async Task KeyState_CooledThroughOneGateway_SkippedByTheOther()
    {
        string token = await CreateTokenAsync("plain");
        _server.Always(_store.Keys[0], FakeReply.Error("429-per-minute-requests"));

        var statuses = new List<HttpStatusCode> { await SendAsync(_a, token), await SendAsync(_a, token) };
        for (int i = 0; i < 4; i++)
        {
            statuses.Add(await SendAsync(_b, token));
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Single(_server.Requests, r => r.GoogKey == _store.Keys[0]);
        Assert.Equal(6, _server.Requests.Count(r => r.GoogKey == _store.Keys[1]));
    }

    [Fact]
    public async Task Revoke_ByTheCliOnRedis_BothGatewaysRefuseAtOnce()
    {
        var created = await CliProcess.RunAsync(_store.Path, "token", "create", "--name", "cli-made", "--redis", _redis.ConnectionString, "--pool", "gw-tests");
        string token = created.Out.Trim();
        var before = new[] { await SendAsync(_a, token), await SendAsync(_b, token) };

        var revoked = await CliProcess.RunAsync(_store.Path, "token", "revoke", "cli-made", "--redis", _redis.ConnectionString, "--pool", "gw-tests");
        var after = new[] { await SendAsync(_a, token), await SendAsync(_b, token) };

        Assert.Equal(0, created.ExitCode);
        Assert.True(ClientTokenFormat.IsToken(token));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK], before);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized], after);
        Assert.False(File.Exists(Path.Combine(_store.Path, JsonClientTokenStore.TokensFileName)));
    }

    [Fact]
    public async Task Readyz_RedisChecked()
    {
        await CreateTokenAsync("ready");

        using var response = await _a.Client.GetAsync("readyz");
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("ok", doc.RootElement.GetProperty("checks").GetProperty("redis").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_Down_503InTheRoutesShapeAndNotReady()
    {
        string token = await CreateTokenAsync("before-the-outage");
        _redis.Kill();

        var status = await SendAsync(_a, token);
        using var ready = await _a.Client.GetAsync("readyz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Contains("unreachable", await ready.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await _a.WaitForLineAsync(l => l.Contains("503 BackendUnavailable", StringComparison.Ordinal));
    }

    private Task<GatewayProcess> Start() =>
        GatewayProcess.StartAsync(_store.Path, _server.BaseAddress, "--redis", _redis.ConnectionString, "--pool", "gw-tests");

    private async Task<string> CreateTokenAsync(string name, int? rpm = null, int? concurrency = null)
    {
        using var connection = _redis.Connect();
        using var tokens = new RedisClientTokenStore(connection, "gw-tests");
        var created = await tokens.CreateAsync(new ClientTokenRequest { Name = name, RequestsPerMinute = rpm, MaxConcurrency = concurrency });
        return created.Token;
    }

    private static async Task<HttpStatusCode> SendAsync(GatewayProcess gateway, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Generate) { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", token);
        using var response = await gateway.Client.SendAsync(request);
        return response.StatusCode;
    }
}
