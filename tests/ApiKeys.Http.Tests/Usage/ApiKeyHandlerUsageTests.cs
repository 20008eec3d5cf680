using System.Collections.Concurrent;
using System.Net;
using System.Text;
using ApiKeys.Http.Tests.Support;
using ApiKeys.Http.Usage;
using ApiKeys.Pool;

namespace ApiKeys.Http.Tests.Usage;

/// <summary>The handler's accounting against the fake Gemini server (real Kestrel): what it records, and when.</summary>
public sealed class ApiKeyHandlerUsageTests
{
    [Fact]
    public async Task Send_Generate_RecordsTokensKeyAndModelOnceTheBodyIsRead()
    {
        var sink = new RecordingSink();
        await using var h = await HandlerHarness.StartAsync(keys: 1, configure: o => o.UsageSink = sink);
        h.Server.Always(h.Keys[0], FakeReply.WithUsage());

        using var response = await h.GenerateAsync();
        await response.Content.ReadAsStringAsync();

        var record = Assert.Single(sink.Records);
        Assert.Equal((200, UsageOutcomes.Success, "gemini-2.5-flash", h.Pool.GetStatuses()[0].Id), (record.Status, record.Outcome, record.Model, record.KeyId));
        Assert.Equal((10L, 20L, 4L, 6L), (record.InputTokens, record.OutputTokens, record.CachedTokens, record.ThinkingTokens));
        Assert.Equal(0, record.Retries);
        Assert.NotNull(record.TimeToFirstByte);
    }

    [Fact]
    public async Task Send_StreamReadToTheEnd_RecordsTheLastChunksCountsAfterTheLastByte()
    {
        var sink = new RecordingSink();
        await using var h = await HandlerHarness.StartAsync(keys: 1, configure: o => o.UsageSink = sink);
        h.Server.Always(h.Keys[0], FakeReply.WithUsage());

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse") { Content = HandlerHarness.Body() };
        using var response = await h.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[1];
        int read = await body.ReadAsync(buffer);
        bool recordedBeforeTheEnd = !sink.Records.IsEmpty;
        await body.CopyToAsync(Stream.Null);

        Assert.Equal(1, read);
        Assert.False(recordedBeforeTheEnd);
        var record = Assert.Single(sink.Records);
        Assert.Equal((7L, 9L, (long?)null, 2L), (record.InputTokens, record.OutputTokens, record.CachedTokens, record.ThinkingTokens));
    }

    [Fact]
    public async Task Send_RateLimitedThenRetried_RecordsOneRequestWithARetryAndTheServingKey()
    {
        var sink = new RecordingSink();
        await using var h = await HandlerHarness.StartAsync(keys: 2, configure: o => o.UsageSink = sink);
        h.Server.Always(h.Keys[0], FakeReply.Error("429-per-minute-requests"));
        h.Server.Always(h.Keys[1], FakeReply.WithUsage());

        using var response = await h.GenerateAsync();
        await response.Content.ReadAsStringAsync();

        var record = Assert.Single(sink.Records);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((1, UsageOutcomes.Success, h.Pool.GetStatuses()[1].Id), (record.Retries, record.Outcome, record.KeyId));
    }

    [Fact]
    public async Task Send_BadRequest_RecordsTheFailureKindAtOnce()
    {
        var sink = new RecordingSink();
        await using var h = await HandlerHarness.StartAsync(keys: 1, configure: o => o.UsageSink = sink);
        h.Server.Always(h.Keys[0], FakeReply.WithUsage());

        using var response = await h.GenerateAsync(FakeReply.BadModel);

        var record = Assert.Single(sink.Records);
        Assert.Equal((400, "BadRequest", FailureKind.BadRequest), (record.Status, record.Outcome, record.Failure));
        Assert.Null(record.InputTokens);
    }

    [Fact]
    public async Task Send_NoKeyAvailable_RecordsNoKeyBeforeThrowing()
    {
        var sink = new RecordingSink();
        await using var h = await HandlerHarness.StartAsync(keys: 1, configure: o => o.UsageSink = sink);
        h.Pool.Disable(h.Keys[0]);

        await Assert.ThrowsAsync<NoAvailableKeyException>(() => h.GenerateAsync());

        var record = Assert.Single(sink.Records);
        Assert.Equal((0, UsageOutcomes.NoKey), (record.Status, record.Outcome));
    }

    [Fact]
    public async Task Send_ScopeEmittedByOwner_FillsTheScopesRecordAndLeavesTheSinkAlone()
    {
        var sink = new RecordingSink();
        await using var h = await HandlerHarness.StartAsync(keys: 1, configure: o => o.UsageSink = sink);
        h.Server.Always(h.Keys[0], FakeReply.WithUsage());
        var scope = new UsageScope { TokenName = "ci", Route = "generateContent", EmittedByOwner = true };
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1beta/models/gemini-2.5-flash:generateContent") { Content = HandlerHarness.Body() };
        request.Options.Set(UsageScope.OptionKey, scope);

        using var response = await h.Client.SendAsync(request);
        await response.Content.ReadAsStringAsync();

        Assert.Empty(sink.Records);
        Assert.Equal(("ci", "generateContent", 10L), (scope.Record!.TokenName, scope.Record.Route, scope.Record.InputTokens));
    }

    [Fact]
    public async Task Send_WithoutSinkOrScope_LeavesTheContentAsItIs()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 1);
        h.Server.Always(h.Keys[0], FakeReply.WithUsage());

        using var response = await h.GenerateAsync();

        Assert.IsNotType<UsageTapContent>(response.Content);
        Assert.Contains("usageMetadata", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_TappedBody_ReachesTheCallerByteForByte()
    {
        var sink = new RecordingSink();
        await using var h = await HandlerHarness.StartAsync(keys: 1, configure: o => o.UsageSink = sink);
        h.Server.Always(h.Keys[0], FakeReply.WithUsage());

        using var response = await h.GenerateAsync();
        byte[] body = await response.Content.ReadAsByteArrayAsync();

        Assert.IsType<UsageTapContent>(response.Content);
        Assert.Equal(FakeReply.GenerateWithUsageJson, Encoding.UTF8.GetString(body));
    }

    [Theory]
    [InlineData("application/json; charset=utf-8", null, true)]
    [InlineData("text/event-stream", null, true)]
    [InlineData(null, null, true)]
    [InlineData("text/html; charset=utf-8", null, false)]
    [InlineData("application/json", "gzip", false)]
    [InlineData("application/json", "", true)]
    public void CanTap_ReadsTheRawHeaders(string? contentType, string? encoding, bool tapped)
    {
        using var content = new ByteArrayContent([]);
        if (contentType is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        if (encoding is not null)
        {
            content.Headers.TryAddWithoutValidation("Content-Encoding", encoding);
        }

        Assert.Equal(tapped, UsageScanner.CanScan(content));
        Assert.False(UsageScanner.CanScan(null));
    }

    [Fact]
    public void TapContent_CarriesTheInnerHeadersAsTheyCame()
    {
        using var inner = new ByteArrayContent([1, 2, 3]);
        inner.Headers.TryAddWithoutValidation("Content-Type", "application/json;charset=utf-8");
        inner.Headers.TryAddWithoutValidation("X-Odd", "a, b");
        var meter = UsageMeter.Start(new HttpRequestMessage(), new RecordingSink(), TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance)!;

        using var tap = new UsageTapContent(inner, meter);

        Assert.Equal("application/json;charset=utf-8", tap.Headers.NonValidated["Content-Type"].ToString());
        Assert.Equal("a, b", tap.Headers.NonValidated["X-Odd"].ToString());
    }

    private sealed class RecordingSink : IUsageSink
    {
        public ConcurrentQueue<UsageRecord> Records { get; } = new();

        public void Record(UsageRecord record) => Records.Enqueue(record);
    }
}
