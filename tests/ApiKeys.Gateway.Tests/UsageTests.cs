using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ApiKeys.Gateway.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>
/// Usage statistics through real processes: the gateway in front of the fake Gemini server (answers with real-shaped
/// usageMetadata and OpenAI usage), a scripted run, /metrics parsed, a restart, and <c>apikeys usage --json</c> / <c>apikeys log</c>.
/// </summary>
public sealed class UsageTests
{
    private const string Generate = "v1beta/models/gemini-2.5-flash:generateContent";

    [Fact]
    public async Task ScriptedRun_MetricsAndUsageAgreeWithWhatWasSent_AfterARestart()
    {
        await using var server = await FakeGeminiServer.StartAsync();
        using var store = new GatewayStore(TestKeys.Many(2));
        string alice = store.Token("alice"), bob = store.Token("bob");
        foreach (var key in store.Keys)
        {
            server.Always(key, FakeReply.WithUsage());
        }

        // One attempt gets a 429: whichever request meets it first is retried on the other key.
        server.Script(store.Keys[0], FakeReply.Error("429-per-minute-requests"));

        var gateway = await GatewayProcess.StartAsync(store.Path, server.BaseAddress);
        try
        {
            await RunScriptAsync(gateway.Client, alice, bob);
            var metrics = await ScrapeUntilAsync(gateway.Client, m => m.Sum("apikeys_gateway_requests_total") >= 9);

            Assert.Equal(9, metrics.Sum("apikeys_gateway_requests_total"));
            Assert.Equal(7, metrics.Sum("apikeys_gateway_requests_total", ("kind", "Success")));
            Assert.Equal(1, metrics.Sum("apikeys_gateway_requests_total", ("kind", "BadRequest"), ("status", "400")));
            Assert.Equal(1, metrics.Sum("apikeys_gateway_requests_total", ("kind", "Rejected"), ("status", "401")));
            Assert.Equal(1, metrics.Sum("apikeys_gateway_retries_total"));
            Assert.Equal(60, metrics.Sum("apikeys_gateway_tokens_total", ("type", "input")));
            Assert.Equal(99, metrics.Sum("apikeys_gateway_tokens_total", ("type", "output")));
            Assert.Equal(14, metrics.Sum("apikeys_gateway_tokens_total", ("type", "cached")));
            Assert.Equal(27, metrics.Sum("apikeys_gateway_tokens_total", ("type", "thinking")));
            Assert.Equal(41, metrics.Sum("apikeys_gateway_tokens_total", ("type", "input"), ("token", "alice")));
            Assert.Equal(9, metrics.Sum("apikeys_gateway_request_duration_seconds_count"));
            Assert.Equal(2, metrics.Sum("apikeys_gateway_keys", ("state", "available")));
            Assert.Equal(0, metrics.Sum("apikeys_gateway_next_key_free_seconds", ("model", "any")));
            Assert.Equal(1, metrics.Sum("apikeys_gateway_cooldowns_total", ("reason", "RateLimited")));
            Assert.True(metrics.Has("apikeys_outcomes_total"), "the core's ApiKeys meter is exported too");
            Assert.True(metrics.Has("dotnet_gc_heap_total_allocated_bytes_total"), "the runtime's System.Runtime meter is exported too");
            Assert.All(DeployFilesTests.MetricNames, name => Assert.True(metrics.Has(name), $"deploy/ uses {name}, which /metrics does not have:\n{metrics.Text}"));
            Assert.Equal(HttpStatusCode.OK, (await gateway.Client.GetAsync("readyz")).StatusCode);
        }
        finally
        {
            Assert.Equal(0, await gateway.StopAsync());
            await gateway.DisposeAsync();
        }

        await using (var again = await GatewayProcess.StartAsync(store.Path, server.BaseAddress))
        {
            var ready = JsonDocument.Parse(await again.Client.GetStringAsync("readyz"));
            Assert.StartsWith("ok", ready.RootElement.GetProperty("checks").GetProperty("usage").GetString(), StringComparison.Ordinal);
        }

        var (code, output, error) = await CliProcess.RunAsync(store.Path, "usage", "--json", "--by", "token", "--since", "1h");
        Assert.True(code == 0, error);
        using var usage = JsonDocument.Parse(output);
        var total = usage.RootElement.GetProperty("total");
        Assert.Equal((9, 7, 1, 1), (total.GetProperty("requests").GetInt32(), total.GetProperty("successes").GetInt32(), total.GetProperty("failures").GetInt32(),
            total.GetProperty("retries").GetInt32()));
        var tokens = total.GetProperty("tokens");
        Assert.Equal((60, 99, 14, 27), (tokens.GetProperty("input").GetInt32(), tokens.GetProperty("output").GetInt32(), tokens.GetProperty("cached").GetInt32(),
            tokens.GetProperty("thinking").GetInt32()));
        var rows = usage.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("group").GetString()!, r => r.GetProperty("requests").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["alice"] = 5, ["bob"] = 3, [""] = 1 }, rows);

        var (logCode, logOutput, logError) = await CliProcess.RunAsync(store.Path, "log", "--json", "--since", "1h");
        Assert.True(logCode == 0, logError);
        using var log = JsonDocument.Parse(logOutput);
        var entries = log.RootElement.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(9, entries.Count);
        Assert.Equal(2, entries.Count(e => e.GetProperty("route").GetString() == "streamGenerateContent" && e.GetProperty("token").GetString() == "bob"
            && e.GetProperty("inputTokens").GetInt32() == 7 && e.GetProperty("outputTokens").GetInt32() == 9 && e.GetProperty("thinkingTokens").GetInt32() == 2));
        Assert.Contains(entries, e => e.GetProperty("retries").GetInt32() == 1 && e.GetProperty("status").GetInt32() == 200);

        var (tableCode, table, _) = await CliProcess.RunAsync(store.Path, "usage", "--by", "model", "--since", "1h");
        Assert.Equal(0, tableCode);
        Assert.Contains("gemini-2.5-flash", table, StringComparison.Ordinal);
        AssertNoSecretIn(store.Path, alice, bob);
    }

    [Fact]
    public async Task CorruptDatabase_OneClearErrorLine_RequestsStillServed_FileUntouched()
    {
        await using var server = await FakeGeminiServer.StartAsync();
        using var store = new GatewayStore(TestKeys.Many(1));
        string token = store.Token("ci");
        string path = Path.Combine(store.Path, "usage.db");
        byte[] garbage = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("this is not a database; ", 400)));
        File.WriteAllBytes(path, garbage);

        await using var gateway = await GatewayProcess.StartAsync(store.Path, server.BaseAddress);
        string line = await gateway.WaitForLineAsync(l => l.Contains("Usage statistics are off", StringComparison.Ordinal));
        using var request = new HttpRequestMessage(HttpMethod.Post, Generate) { Content = new StringContent(FakeReply.GenerateBody("hi"), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", token);
        using var response = await gateway.Client.SendAsync(request);
        using var ready = await gateway.Client.GetAsync("readyz");
        string readiness = await ready.Content.ReadAsStringAsync();

        Assert.Contains(path, line, StringComparison.Ordinal);
        Assert.Contains("move the file away", line, StringComparison.Ordinal);
        Assert.Single(gateway.Lines, l => l.Contains("Usage statistics are off", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("degraded: " + path, readiness, StringComparison.Ordinal);
        Assert.Equal(garbage, File.ReadAllBytes(path));
    }

    [Fact]
    public void MetricsAccess_WithoutAListenerOfItsOwn_LoopbackOnly()
    {
        var loopbackOnly = new Metrics.MetricsOptions();
        var ownPort = new Metrics.MetricsOptions { Urls = "http://0.0.0.0:9464" };

        Assert.True(Metrics.MetricsAccess.Allowed(loopbackOnly, IPAddress.Loopback, 8080));
        Assert.True(Metrics.MetricsAccess.Allowed(loopbackOnly, IPAddress.IPv6Loopback, 8080));
        Assert.False(Metrics.MetricsAccess.Allowed(loopbackOnly, IPAddress.Parse("192.0.2.7"), 8080));
        Assert.True(Metrics.MetricsAccess.Allowed(new Metrics.MetricsOptions { AllowRemote = true }, IPAddress.Parse("192.0.2.7"), 8080));
        Assert.True(Metrics.MetricsAccess.Allowed(ownPort, IPAddress.Parse("192.0.2.7"), 9464));
        Assert.False(Metrics.MetricsAccess.Allowed(ownPort, IPAddress.Loopback, 8080));
    }

    /// <summary>9 requests: 3 generate (one retried after a 429), 2 Gemini streams, an OpenAI chat and an OpenAI stream, a bad request, an unknown token.</summary>
    internal static async Task RunScriptAsync(HttpClient client, string alice, string bob)
    {
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(client, Gemini(Generate, alice)));
        }

        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await SendAsync(client, Gemini("v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", bob)));
        }

        Assert.Equal(HttpStatusCode.OK, await SendAsync(client, OpenAi(alice, """{"model":"gemini-2.5-flash","messages":[{"role":"user","content":"hi"}]}""")));
        Assert.Equal(HttpStatusCode.OK, await SendAsync(client, OpenAi(bob,
            """{"model":"gemini-2.5-flash","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}""")));
        Assert.Equal(HttpStatusCode.BadRequest, await SendAsync(client, Gemini($"v1beta/models/{FakeReply.BadModel}:generateContent", alice)));
        Assert.Equal(HttpStatusCode.Unauthorized, await SendAsync(client, Gemini(Generate, "akg_" + new string('x', 43))));
    }

    internal static async Task<PrometheusText> ScrapeUntilAsync(HttpClient client, Func<PrometheusText, bool> done)
    {
        // The last request's accounting runs when its response has ended on the server: poll, bounded, for it to land.
        var end = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            using var response = await client.GetAsync("metrics");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var text = PrometheusText.Parse(await response.Content.ReadAsStringAsync());
            if (done(text) || DateTime.UtcNow > end)
            {
                return text;
            }

            await Task.Delay(50);
        }
    }

    internal static void AssertNoSecretIn(string directory, params string[] tokens)
    {
        foreach (var file in Directory.GetFiles(directory, "usage.db*"))
        {
            string content = Encoding.Latin1.GetString(File.ReadAllBytes(file));
            TestKeys.AssertNoSecret(content, file);
            Assert.DoesNotContain("AIzaSyCANARY", content, StringComparison.Ordinal);
            foreach (var token in tokens)
            {
                Assert.DoesNotContain(token, content, StringComparison.Ordinal);
            }
        }
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using (request)
        {
            using var response = await client.SendAsync(request);
            await response.Content.ReadAsByteArrayAsync();
            return response.StatusCode;
        }
    }

    private static HttpRequestMessage Gemini(string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(FakeReply.GenerateBody("hi"), Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", token);
        return request;
    }

    private static HttpRequestMessage OpenAi(string token, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }
}
