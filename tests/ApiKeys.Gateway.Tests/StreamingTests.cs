using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using ApiKeys.Gateway.Tests.Support;
using Xunit.Abstractions;

namespace ApiKeys.Gateway.Tests;

/// <summary>Streams pass chunk by chunk as they come; a stream that breaks ends cleanly; a client that leaves costs the key nothing.</summary>
public sealed class StreamingTests(ITestOutputHelper output)
{
    private const string Stream = "v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse";
    private const string Generate = "v1beta/models/gemini-2.5-flash:generateContent";

    [Fact]
    public async Task Stream_FirstEventReachesTheClientBeforeTheUpstreamSendsTheNext()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 1);
        var gate = new TaskCompletionSource();
        h.Server.Script(h.Keys[0], FakeReply.Sse(["{\"n\":1}", "{\"n\":2}"], gate.Task));

        using var response = await h.SendAsync(h.Gemini(Stream), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        gate.SetResult();
        string rest = await reader.ReadToEndAsync();

        Assert.Equal("data: {\"n\":1}", first);
        Assert.Equal("\r\n" + "data: {\"n\":2}\r\n\r\n", rest);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Stream_GapsBetweenChunks_SameEventsInOrderAsDirect()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 1);
        string[] words = [.. Enumerable.Range(0, 20).Select(i => "w" + i)];
        var gap = TimeSpan.FromMilliseconds(50);
        h.Server.Always(h.Keys[0], FakeReply.GeminiStream(words, gap));
        using var direct = new HttpClient { BaseAddress = h.Server.BaseAddress };

        var viaFake = await ReadEventsAsync(direct, h.Keys[0]);
        var viaGateway = await ReadEventsAsync(h.Client, h.Token);

        string[] expected = [.. words.Select((w, i) => "data: " + FakeReply.GeminiChunk(w, last: i == words.Length - 1))];
        Assert.Equal(expected, viaFake.Select(e => e.Line));
        Assert.Equal(expected, viaGateway.Select(e => e.Line));
        Report("direct", viaFake);
        Report("gateway", viaGateway);
        var extra = viaGateway.Skip(1).Zip(viaFake.Skip(1), (g, d) => g.Gap - d.Gap).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gateway minus direct, per gap: mean {extra.Average(t => t.TotalMilliseconds):0.00} ms, largest {extra.Max(t => t.TotalMilliseconds):0.00} ms"));
    }

    [Fact]
    public async Task Stream_UpstreamDropsMidway_ClientGetsWhatCameAndACleanEnd()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 2);
        foreach (var key in h.Keys)
        {
            h.Server.Script(key, FakeReply.Events("drop", ["{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}"], TimeSpan.FromMilliseconds(200), dropAfter: 2));
        }

        using var response = await h.SendAsync(h.Gemini(Stream), HttpCompletionOption.ResponseHeadersRead);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("data: {\"n\":1}\n\ndata: {\"n\":2}\n\n", body);
        Assert.Single(h.Server.Requests);
        await h.Gateway.WaitForLineAsync(l => l.Contains("200 StreamInterrupted", StringComparison.Ordinal) && l.Contains("failure=Transport", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Generate_KnownLength_PassesTheLengthNotChunks()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 1);
        h.Server.Always(h.Keys[0], FakeReply.Fixed(FakeReply.SuccessJson));

        using var response = await h.SendAsync(h.Gemini(Generate), HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetByteCount(FakeReply.SuccessJson), response.Content.Headers.ContentLength);
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(FakeReply.SuccessJson, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Generate_KnownLengthCutMidway_ClientSeesAnIncompleteResponseNotAWholeOne()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 1);
        h.Server.Always(h.Keys[0], FakeReply.Fixed(FakeReply.SuccessJson, cutAfter: 20));

        using var response = await h.SendAsync(h.Gemini(Generate), HttpCompletionOption.ResponseHeadersRead);

        // A body that announced its length cannot end early and look whole: the gateway cuts the client's connection too.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(() => response.Content.ReadAsStringAsync());
        await h.Gateway.WaitForLineAsync(l => l.Contains("200 StreamInterrupted", StringComparison.Ordinal) && l.Contains("failure=Transport", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Gateway.Lines, l => l.Contains(" fail ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_UpstreamSilentPastTheIdleTimeout_StreamEndsAfterWhatCame()
    {
        await using var h = await GatewayHarness.StartAsync(1, "--Gateway:StreamIdleTimeout", "00:00:00.3");
        h.Server.Script(h.Keys[0], FakeReply.GeminiStream(["one", "two"], TimeSpan.FromSeconds(20)));

        using var response = await h.SendAsync(h.Gemini(Stream), HttpCompletionOption.ResponseHeadersRead);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal("data: " + FakeReply.GeminiChunk("one", last: false) + "\n\n", body);
        await h.Gateway.WaitForLineAsync(l => l.Contains("no data within the idle timeout", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stream_ClientLeavesMidway_TokensSoFarCounted()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 1);
        h.Server.Script(h.Keys[0], FakeReply.GeminiStream(["one", "two"], TimeSpan.FromSeconds(30)));

        var response = await h.SendAsync(h.Gemini(Stream), HttpCompletionOption.ResponseHeadersRead);
        var body = await response.Content.ReadAsStreamAsync();
        var first = new byte[64];
        Assert.True(await body.ReadAsync(first) > 0);
        response.Dispose();

        // The first chunk's usageMetadata (3 in, 5 out: a stream's counts are running totals) was used: it counts.
        await h.Gateway.WaitForLineAsync(l => l.Contains("499 ClientDisconnected", StringComparison.Ordinal));
        var metrics = await UsageTests.ScrapeUntilAsync(h.Client, m => m.Sum("apikeys_gateway_requests_total") >= 1);
        Assert.Equal(3, metrics.Sum("apikeys_gateway_tokens_total", ("type", "input")));
        Assert.Equal(5, metrics.Sum("apikeys_gateway_tokens_total", ("type", "output")));
    }

    [Fact]
    public async Task Client_DisconnectsBeforeHeaders_UpstreamCancelledAndKeyCostsNothing()
    {
        var h = await GatewayHarness.StartAsync(keys: 1);
        var aborted = new TaskCompletionSource();
        h.Server.Script(h.Keys[0], FakeReply.SlowHeaders(TimeSpan.FromSeconds(60), FakeReply.Ok(), aborted));
        using var leave = new CancellationTokenSource();

        var call = h.Client.SendAsync(h.Gemini(Stream), HttpCompletionOption.ResponseHeadersRead, leave.Token);
        while (h.Server.Requests.IsEmpty)
        {
            await Task.Delay(10);
        }

        await leave.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await aborted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await h.Gateway.WaitForLineAsync(l => l.Contains("499 ClientDisconnected", StringComparison.Ordinal));
        Assert.Equal(0, await h.Gateway.StopAsync());

        using (var pool = ApiKeyManager.Open(h.Store.Path))
        {
            var state = pool.GetStatuses().Single();
            Assert.True(state.IsUsable);
            Assert.Equal(0, state.State.TotalFailures);
            Assert.Equal(0, state.State.Failures);
        }

        await h.DisposeAsync();
    }

    [Fact]
    public async Task Shutdown_DuringAStream_StreamFinishesThenTheStatesAreFlushed()
    {
        var h = await GatewayHarness.StartAsync(keys: 1);
        string[] words = [.. Enumerable.Range(0, 8).Select(i => "w" + i)];
        h.Server.Script(h.Keys[0], FakeReply.GeminiStream(words, TimeSpan.FromMilliseconds(100)));

        using var response = await h.SendAsync(h.Gemini(Stream), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? first = await reader.ReadLineAsync();
        var stopping = h.Gateway.StopAsync();
        string rest = await reader.ReadToEndAsync();
        int exitCode = await stopping;

        Assert.StartsWith("data: ", first, StringComparison.Ordinal);
        Assert.Equal(words.Length, 1 + rest.Split("data: ").Length - 1);
        Assert.Equal(0, exitCode);
        Assert.Contains(h.Gateway.Lines, l => l.Contains("for 1 request(s) in flight", StringComparison.Ordinal));
        using (var pool = ApiKeyManager.Open(h.Store.Path))
        {
            Assert.Equal(1, pool.GetStatuses().Single().State.TotalSuccesses);
        }

        await h.DisposeAsync();
    }

    private static async Task<List<(string Line, TimeSpan Gap)>> ReadEventsAsync(HttpClient client, string credential)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Stream) { Content = new StringContent("{\"contents\":[]}") };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", credential);
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<(string, TimeSpan)>();
        var clock = Stopwatch.StartNew();
        var last = TimeSpan.Zero;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var now = clock.Elapsed;
                events.Add((line, now - last));
                last = now;
            }
        }

        return events;
    }

    private void Report(string what, List<(string Line, TimeSpan Gap)> events)
    {
        var gaps = events.Skip(1).Select(e => e.Gap.TotalMilliseconds).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {events.Count} events, gap mean {gaps.Average():0.00} ms, min {gaps.Min():0.00} ms, max {gaps.Max():0.00} ms"));
    }
}
