using System.Net;
using System.Text.Json;
using ApiKeys.Gateway.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>No log line holds a key or a client token, with every log level on, wherever the secret travelled.</summary>
public sealed class LogHygieneTests
{
    [Fact]
    public async Task Logs_EverythingOnAndSecretsEverywhere_NoLineHoldsAKeyOrAToken()
    {
        await using var h = await GatewayHarness.StartAsync(2, "--Logging:LogLevel:Default", "Trace", "--Logging:LogLevel:Microsoft", "Trace",
            "--Logging:LogLevel:Microsoft.AspNetCore", "Trace");
        h.Server.Script(h.Keys[0], FakeReply.Error("403-consumer-suspended"), FakeReply.Error("400-api-key-invalid"));
        h.Server.Script(h.Keys[1], FakeReply.Error("429-per-minute-requests"));
        string unknown = Tokens.ClientTokenFormat.Generate();

        using var query = await h.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"v1beta/models/gemini-2.5-flash:generateContent?key={h.Token}&alt=json") { Content = new StringContent("{}") });
        using var header = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent"));
        using var bearer = await h.SendAsync(h.OpenAi("v1/chat/completions"));
        using var wrong = await h.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"v1beta/models?key={unknown}"));
        using var aKeyAsToken = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent", token: h.Keys[0]));
        await h.Gateway.StopAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, aKeyAsToken.StatusCode);
        var lines = h.Gateway.Lines;
        Assert.Contains(lines, l => l.Contains("dbug", StringComparison.Ordinal) || l.Contains("trce", StringComparison.Ordinal));
        Assert.Equal(5, lines.Count(l => l.Contains("AccessLogObserver[3001]", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("Request starting", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("akg_...", StringComparison.Ordinal) || l.Contains("AIza...", StringComparison.Ordinal));
        foreach (var secret in h.Keys.Append(h.Token).Append(unknown).Append(SuspendedCanary))
        {
            Assert.DoesNotContain(lines, l => l.Contains(secret, StringComparison.Ordinal));
        }

        h.Gateway.AssertNoSecretsInLogs();
    }

    [Fact]
    public async Task AccessLog_OneLinePerRequest_NamesTokenModelKeyStatusKindRetriesLatency()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 2);
        h.Server.Script(h.Keys[0], FakeReply.Error("429-per-minute-requests"));
        h.Server.Script(h.Keys[1], FakeReply.Error("429-per-minute-requests"));

        using var first = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent"));
        string line = await h.Gateway.WaitForLineAsync(l => l.Contains("AccessLogObserver[3001]", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Matches(@"POST generateContent 429 Forwarded in \d+\.\d{2} ms \(first byte \d+\.\d{2} ms\) token=tests model=gemini-2\.5-flash key=k_[0-9a-f]{12} failure=RateLimited retries=1 bytes=\d+", line);
    }

    [Fact]
    public async Task Readyz_StoreKeysTokens_ReadyWithEachCheck()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 2);

        using var health = await h.Client.GetAsync("healthz");
        using var ready = await h.Client.GetAsync("readyz");
        using var doc = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.True(doc.RootElement.GetProperty("ready").GetBoolean());
        Assert.Equal("ok: 2 of 2 usable", doc.RootElement.GetProperty("checks").GetProperty("keys").GetString());
        Assert.Equal("ok", doc.RootElement.GetProperty("checks").GetProperty("tokens").GetString());
    }

    [Fact]
    public async Task Readyz_NoKeysOrACorruptTokensFile_503SayingWhich()
    {
        await using var server = await FakeGeminiServer.StartAsync();
        using var store = new GatewayStore();
        store.Token();
        await using var gateway = await GatewayProcess.StartAsync(store.Path, server.BaseAddress);

        using var noKeys = await gateway.Client.GetAsync("readyz");
        await File.WriteAllTextAsync(Path.Combine(store.Path, Tokens.JsonClientTokenStore.TokensFileName), "{ not json");
        using var corrupt = await gateway.Client.GetAsync("readyz");
        string corruptText = await corrupt.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, noKeys.StatusCode);
        Assert.Contains("no keys file", await noKeys.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, corrupt.StatusCode);
        Assert.Contains("cannot be parsed", corruptText, StringComparison.Ordinal);
        Assert.Equal("{ not json", await File.ReadAllTextAsync(Path.Combine(store.Path, Tokens.JsonClientTokenStore.TokensFileName)));
    }

    private static string SuspendedCanary => "AIzaSyCANARY" + "suspendedKey" + "000000000000042";
}
