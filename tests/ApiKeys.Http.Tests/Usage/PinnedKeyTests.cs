using System.Collections.Concurrent;
using System.Net;
using ApiKeys.Http.Tests.Support;
using ApiKeys.Http.Usage;
using ApiKeys.Pool;

namespace ApiKeys.Http.Tests.Usage;

/// <summary>A request pinned to one key (<see cref="PinnedKey"/>): sent with it alone, its outcome reported to the pin, accounted like any other.</summary>
public sealed class PinnedKeyTests
{
    [Fact]
    public async Task Send_PinnedToTheLastKey_GoesWithItAlone_SuccessReportedAndTokensRecorded()
    {
        var sink = new RecordingSink();
        await using var h = await HandlerHarness.StartAsync(keys: 3, configure: o => o.UsageSink = sink);
        foreach (var key in h.Keys)
        {
            h.Server.Always(key, FakeReply.WithUsage());
        }

        var reports = new ConcurrentQueue<KeyOutcome>();
        var pinned = new PinnedKey(h.Pool.Keys[2], reports.Enqueue);
        for (int i = 0; i < 2; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1beta/models/gemini-2.5-flash:generateContent") { Content = HandlerHarness.Body() };
            request.Options.Set(PinnedKey.OptionKey, pinned);
            using var response = await h.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(request.Headers.Contains(ApiKeyHandler.GoogApiKeyHeader), "the key leaves the request once it is sent");
        }

        Assert.Equal([2, 2], h.KeysSeen());
        Assert.Equal([true, true], reports.Select(r => r.IsSuccess));
        Assert.All(reports, r => Assert.Equal("gemini-2.5-flash", r.Model));
        Assert.Equal(2, sink.Records.Count);
        Assert.All(sink.Records, r => Assert.Equal((h.Pool.Keys[2].Id, 10L, 20L, 4L, 6L, UsageOutcomes.Success),
            (r.KeyId, r.InputTokens, r.OutputTokens, r.CachedTokens, r.ThinkingTokens, r.Outcome)));
        Assert.DoesNotContain(h.Keys[2], pinned.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Send_PinnedKeyRateLimited_NoRetryOnAnotherKey_FailureReportedRecordedAndMasked()
    {
        var sink = new RecordingSink();
        await using var h = await HandlerHarness.StartAsync(keys: 2, configure: o => o.UsageSink = sink);
        h.Server.Always(h.Keys[0], FakeReply.Error("429-per-minute-requests"));
        h.Server.Always(h.Keys[1], FakeReply.WithUsage());
        var reports = new ConcurrentQueue<KeyOutcome>();

        using var request = new HttpRequestMessage(HttpMethod.Post, "v1beta/models/gemini-2.5-flash:generateContent") { Content = HandlerHarness.Body() };
        request.Options.Set(PinnedKey.OptionKey, new PinnedKey(h.Pool.Keys[0], reports.Enqueue));
        using var response = await h.Client.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal([0], h.KeysSeen());
        Assert.Equal(FailureKind.RateLimited, Assert.Single(reports).Failure?.Kind);
        var record = Assert.Single(sink.Records);
        Assert.Equal((429, FailureKind.RateLimited, 0, h.Pool.Keys[0].Id), (record.Status, record.Failure, record.Retries, record.KeyId));
        Assert.True(h.Status(0).IsUsable, "the pool's own state is the pin's owner's to change (nothing was reported to it here)");
        h.AssertNoSecretsLeaked(body);
    }

    private sealed class RecordingSink : IUsageSink
    {
        public ConcurrentQueue<UsageRecord> Records { get; } = new();

        public void Record(UsageRecord record) => Records.Enqueue(record);
    }
}
