using System.Net;
using System.Text;
using ApiKeys.Http.Classification;
using ApiKeys.Http.Tests.Support;
using ApiKeys.Pool;

namespace ApiKeys.Http.Tests;

/// <summary>Every row of DESIGN.md's failure table, end to end: HttpClient -> handler -> Kestrel fake Gemini.</summary>
public class ApiKeyHandlerTests
{
    [Fact]
    public async Task SendAsync_Success_KeyOnlyInHeaderAndReported()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 2);

        using var response = await h.Client.PostAsync($"v1beta/models/gemini-2.5-flash:generateContent?key={h.Keys[1]}&alt=json", HandlerHarness.Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = Assert.Single(h.Server.Requests);
        Assert.Equal(h.Keys[0], seen.GoogKey);
        Assert.Equal("?alt=json", seen.Query);
        Assert.Equal(1, h.Status(0).State.TotalSuccesses);
        Assert.False(response.RequestMessage!.Headers.Contains(ApiKeyHandler.GoogApiKeyHeader));
    }

    [Fact]
    public async Task SendAsync_PerMinuteRateLimit_RetriesOnAnotherKeyAndCoolsKeyModel()
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Error("429-per-minute-requests"));

        using var response = await h.GenerateAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([0, 1], h.KeysSeen());
        var status = h.Status(0, "gemini-2.5-flash");
        Assert.False(status.IsUsable);
        Assert.Equal(HandlerHarness.Start.AddSeconds(46), status.AvailableAt);
        Assert.True(h.Status(0, "gemini-2.5-pro").IsUsable);
    }

    [Fact]
    public async Task SendAsync_PerDayRateLimit_CoolsUntilMidnightPacific()
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Error("429-per-day-requests"));

        using var response = await h.GenerateAsync("gemini-2.5-pro");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var pacific = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        var local = TimeZoneInfo.ConvertTime(HandlerHarness.Start, pacific);
        var midnight = new DateTimeOffset(local.Date.AddDays(1), pacific.GetUtcOffset(local.Date.AddDays(1)));
        Assert.Equal(midnight, h.Status(0, "gemini-2.5-pro").AvailableAt);
    }

    [Fact]
    public async Task SendAsync_LimitZero_ModelUnavailableUntilRevalidated()
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Error("429-limit-zero"));

        using var response = await h.GenerateAsync("gemini-2.5-pro");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var status = h.Status(0, "gemini-2.5-pro");
        Assert.Equal(KeyAvailability.ModelBlocked, status.Availability);
        Assert.Null(status.AvailableAt);
        Assert.True(h.Status(0, "gemini-2.5-flash").IsUsable);
    }

    [Theory]
    [InlineData("400-api-key-invalid")]
    [InlineData("400-api-key-expired")]
    public async Task SendAsync_InvalidKey_DisabledAtFirstFailureAndRetried(string file)
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Error(file));

        using var response = await h.GenerateAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(KeyAvailability.Disabled, h.Status(0).Availability);
        Assert.Equal(FailureKind.InvalidKey, h.Status(0).State.DisabledKind);
    }

    [Fact]
    public async Task SendAsync_Unauthorized401_InvalidKey()
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Empty(401));

        using var response = await h.GenerateAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FailureKind.InvalidKey, h.Status(0).State.DisabledKind);
    }

    [Fact]
    public async Task SendAsync_Suspended_DisabledProjectLearnedAndCanaryNeverSeen()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 1);
        h.Server.Script(h.Keys[0], FakeReply.Error("403-consumer-suspended"));

        using var response = await h.GenerateAsync();
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(FailureKind.Suspended, h.Status(0).State.DisabledKind);
        Assert.Equal("projects/123456789012", h.Status(0).Project);
        Assert.Contains("CONSUMER_SUSPENDED", body, StringComparison.Ordinal);
        Assert.Contains("AIza...0042", body, StringComparison.Ordinal);
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.NotEmpty(h.Logs.GetSnapshot());
        h.AssertNoSecretsLeaked(body);
    }

    [Fact]
    public async Task SendAsync_SuspendedWithRetry_CanaryNeverSeenAnywhere()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 2);
        h.Server.Script(h.Keys[0], FakeReply.Error("403-consumer-suspended"));

        using var response = await h.GenerateAsync();
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        h.AssertNoSecretsLeaked(body);
    }

    [Fact]
    public async Task SendAsync_ServiceBlocked_ModelOutUntilRevalidatedAndRetried()
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Error("403-api-key-service-blocked"));

        using var response = await h.Client.PostAsync("v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", HandlerHarness.Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(KeyAvailability.ModelBlocked, h.Status(0, "gemini-2.5-flash").Availability);
        Assert.Equal(0, h.Status(0).State.Failures);
        Assert.Equal("projects/123456789012", h.Status(0).Project);
    }

    [Fact]
    public async Task SendAsync_PermissionDenied_StrikeAndRetried()
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Error("403-permission-denied"));

        using var response = await h.GenerateAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, h.Status(0).State.Failures);
        Assert.True(h.Status(0).IsUsable);
    }

    [Fact]
    public async Task SendAsync_Billing402_KeyCooledAndRetried()
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Json(402, """{"error":{"code":402,"message":"Your prepayment credits are depleted.","status":"FAILED_PRECONDITION"}}"""));

        using var response = await h.GenerateAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(KeyAvailability.Cooling, h.Status(0).Availability);
        Assert.Equal(FailureKind.Billing, h.Status(0).State.LastError?.Kind);
    }

    [Theory]
    [InlineData("500-internal")]
    [InlineData("503-overloaded")]
    public async Task SendAsync_UpstreamErrorFile_NoStrikeAndRetried(string file)
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Error(file));

        using var response = await h.GenerateAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([0, 1], h.KeysSeen());
        Assert.Equal(0, h.Status(0).State.Failures);
        Assert.True(h.Status(0).IsUsable);
    }

    [Theory]
    [InlineData(502, true)]
    [InlineData(503, false)]
    [InlineData(408, false)]
    public async Task SendAsync_UpstreamWithoutJson_NoStrikeAndRetried(int status, bool html)
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], html ? FakeReply.Html(status) : FakeReply.Empty(status));

        using var response = await h.GenerateAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FailureKind.Upstream, h.Status(0).State.LastError?.Kind);
        Assert.Equal(0, h.Status(0).State.Failures);
    }

    [Fact]
    public async Task SendAsync_Upstream_WaitsBackoffOnTheClockBeforeRetrying()
    {
        var time = new RecordingTimeProvider(HandlerHarness.Start);
        await using var h = await HandlerHarness.StartAsync(configure: o => o.BaseBackoff = TimeSpan.FromSeconds(2), time: time);
        h.Server.Script(h.Keys[0], FakeReply.Error("503-overloaded"));

        var timer = time.NextTimer;
        var sending = h.GenerateAsync();
        var due = await timer.WaitAsync(TimeSpan.FromSeconds(30));
        bool retriedBeforeBackoff = h.Server.Requests.Count > 1;
        time.Advance(TimeSpan.FromSeconds(3));
        using var response = await sending;

        Assert.InRange(due, TimeSpan.FromSeconds(1.6), TimeSpan.FromSeconds(2.4));
        Assert.False(retriedBeforeBackoff);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Server.Requests.Count);
    }

    [Fact]
    public async Task SendAsync_DroppedConnection_TransportNoStrikeAndRetried()
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Drop());

        using var response = await h.GenerateAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FailureKind.Transport, h.Status(0).State.LastError?.Kind);
        Assert.Equal(0, h.Status(0).State.Failures);
    }

    [Fact]
    public async Task SendAsync_DroppedOnEveryAttempt_ThrowsTransportException()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 2, configure: o => o.MaxAttempts = 2);
        h.Server.Always(h.Keys[0], FakeReply.Drop()).Always(h.Keys[1], FakeReply.Drop());

        await Assert.ThrowsAsync<HttpRequestException>(() => h.GenerateAsync());

        Assert.Equal(2, h.Server.Requests.Count);
        Assert.All(h.Pool.GetStatuses(), s => Assert.Equal(0, s.State.Failures));
    }

    [Fact]
    public async Task SendAsync_SlowAnswerPastAttemptTimeout_TransportAndRetriedOnAnotherKey()
    {
        var time = new RecordingTimeProvider(HandlerHarness.Start);
        var never = new TaskCompletionSource();
        await using var h = await HandlerHarness.StartAsync(configure: o => o.AttemptTimeout = TimeSpan.FromSeconds(20), time: time);
        h.Server.Script(h.Keys[0], FakeReply.Slow(never.Task, FakeReply.Ok()));

        var timer = time.NextTimer;
        var sending = h.GenerateAsync();
        await timer.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitUntilAsync(() => !h.Server.Requests.IsEmpty);
        time.Advance(TimeSpan.FromSeconds(20));
        using var response = await sending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FailureKind.Transport, h.Status(0).State.LastError?.Kind);
        Assert.Equal([0, 1], h.KeysSeen());
    }

    [Theory]
    [InlineData("400-invalid-argument-request")]
    [InlineData("400-location-not-supported")]
    [InlineData("404-model-not-found")]
    public async Task SendAsync_BadRequest_NoStrikeNoRetryResponseReturned(string file)
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Error(file));

        using var response = await h.GenerateAsync();
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(ErrorFiles.Status(file), (int)response.StatusCode);
        Assert.Equal(ErrorFiles.Read(file), body);
        Assert.Single(h.Server.Requests);
        Assert.Equal(0, h.Status(0).State.Failures);
        Assert.True(h.Status(0).IsUsable);
    }

    [Fact]
    public async Task SendAsync_UnknownFailure_StrikeAndRetried()
    {
        await using var h = await HandlerHarness.StartAsync(configure: o => o.Classifier = new UnknownOn418());
        h.Server.Script(h.Keys[0], FakeReply.Empty(418));

        using var response = await h.GenerateAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, h.Status(0).State.Failures);
        Assert.Equal(FailureKind.Unknown, h.Status(0).State.LastError?.Kind);
    }

    [Fact]
    public async Task SendAsync_NoKeyLeft_ThrowsWithRetryAfter()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 1);
        h.Server.Script(h.Keys[0], FakeReply.Error("429-per-minute-requests"));
        using var first = await h.GenerateAsync();

        var e = await Assert.ThrowsAsync<NoAvailableKeyException>(() => h.GenerateAsync());

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(46), e.RetryAfter);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task SendAsync_NoKeyLeftWithSynthesizeOption_429WithRetryAfterHeader()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 1, configure: o => o.WhenNoKey = NoKeyBehavior.Synthesize429);
        h.Server.Script(h.Keys[0], FakeReply.Error("429-per-minute-requests"));
        using var first = await h.GenerateAsync();

        using var response = await h.GenerateAsync();
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(46), response.Headers.RetryAfter?.Delta);
        Assert.Contains("RESOURCE_EXHAUSTED", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_AllKeysDisabled_ThrowsWithoutRetryAfter()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 2);
        h.Server.Always(h.Keys[0], FakeReply.Error("400-api-key-invalid")).Always(h.Keys[1], FakeReply.Error("400-api-key-invalid"));
        using var first = await h.GenerateAsync();

        var e = await Assert.ThrowsAsync<NoAvailableKeyException>(() => h.GenerateAsync());

        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        Assert.Null(e.RetryAfter);
        Assert.Equal(NoKeyReason.AllDisabled, e.Reason);
    }

    [Fact]
    public async Task SendAsync_AttemptsExhausted_LastResponseReturned()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 3, configure: o => o.MaxAttempts = 2);
        foreach (var key in h.Keys)
        {
            h.Server.Always(key, FakeReply.Error("503-overloaded"));
        }

        using var response = await h.GenerateAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.Contains("overloaded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendAsync_Retry_SendsTheSameContentAgain()
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Error("500-internal"));
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(FakeReply.GenerateBody("replay me"))));

        using var response = await h.Client.PostAsync("v1beta/models/gemini-2.5-flash:generateContent", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.All(h.Server.Requests, r => Assert.Contains("replay me", r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_StreamContentNotBuffered_NoRetry()
    {
        await using var h = await HandlerHarness.StartAsync(configure: o => o.BufferRequestContent = false);
        h.Server.Script(h.Keys[0], FakeReply.Error("500-internal"));
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(FakeReply.GenerateBody("once"))));

        using var response = await h.Client.PostAsync("v1beta/models/gemini-2.5-flash:generateContent", content);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task SendAsync_StringContentNotBuffered_StillRetriedFromItsOwnBytes()
    {
        await using var h = await HandlerHarness.StartAsync(configure: o => o.BufferRequestContent = false);
        h.Server.Script(h.Keys[0], FakeReply.Error("500-internal"));

        using var response = await h.GenerateAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.All(h.Server.Requests, r => Assert.Contains("hi", r.Body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_ServerSentEvents_StreamThroughBeforeTheAnswerEnds()
    {
        await using var h = await HandlerHarness.StartAsync();
        var gate = new TaskCompletionSource();
        h.Server.Script(h.Keys[0], FakeReply.Sse(["{\"n\":1}", "{\"n\":2}"], gate.Task));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse") { Content = HandlerHarness.Body() };

        using var response = await h.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? firstEvent = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        gate.SetResult();
        string rest = await reader.ReadToEndAsync();

        Assert.Equal("data: {\"n\":1}", firstEvent);
        Assert.Contains("data: {\"n\":2}", rest, StringComparison.Ordinal);
        Assert.Equal(1, h.Status(0).State.TotalSuccesses);
    }

    [Fact]
    public async Task SendAsync_CallerCancels_KeyReleasedWithNoStrike()
    {
        await using var h = await HandlerHarness.StartAsync(keys: 1);
        var never = new TaskCompletionSource();
        h.Server.Script(h.Keys[0], FakeReply.Slow(never.Task, FakeReply.Ok()));
        using var cts = new CancellationTokenSource();

        var sending = h.GenerateAsync(cancellationToken: cts.Token);
        await WaitUntilAsync(() => !h.Server.Requests.IsEmpty);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        var status = h.Status(0);
        Assert.Equal(0, status.State.Failures);
        Assert.Equal(0, status.InFlight);
        Assert.True(status.IsUsable);
    }

    [Fact]
    public async Task Send_Synchronous_RetriesOnAnotherKey()
    {
        await using var h = await HandlerHarness.StartAsync();
        h.Server.Script(h.Keys[0], FakeReply.Error("429-per-minute-requests"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1beta/models/gemini-2.5-flash:generateContent") { Content = HandlerHarness.Body() };

        using var response = h.Client.Send(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([0, 1], h.KeysSeen());
    }

    [Fact]
    public async Task SendAsync_BearerPlacement_KeyInAuthorizationHeader()
    {
        await using var h = await HandlerHarness.StartAsync(configure: o => o.Placement = KeyPlacement.BearerToken);

        using var response = await h.Client.PostAsync("v1/chat/completions", HandlerHarness.Body());

        var seen = Assert.Single(h.Server.Requests);
        Assert.Equal("Bearer " + h.Keys[0], seen.Authorization);
        Assert.Null(seen.GoogKey);
        Assert.Null(response.RequestMessage!.Headers.Authorization);
    }

    [Fact]
    public async Task SendAsync_CustomHeaderWithGenericClassifier_RateLimitRetried()
    {
        await using var h = await HandlerHarness.StartAsync(configure: o => o.Placement = KeyPlacement.CustomHeader);
        h.Server.Script(h.Keys[0], FakeReply.Json(429, "{}", retryAfter: "30"));

        using var response = await h.Client.PostAsync("v1/messages", HandlerHarness.Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(h.Keys[1], h.Server.Requests.Last().CustomKey);
        Assert.Equal(HandlerHarness.Start.AddSeconds(30), h.Status(0).AvailableAt);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Yield();
            cts.Token.ThrowIfCancellationRequested();
        }
    }

    private sealed class UnknownOn418 : IResponseClassifier
    {
        private readonly GeminiResponseClassifier _inner = new();

        public KeyFailure? Classify(HttpResponseMessage response, ReadOnlyMemory<byte> body, string? model) =>
            (int)response.StatusCode == 418 ? KeyFailure.Unknown("teapot") : _inner.Classify(response, body, model);

        public KeyFailure ClassifyException(Exception exception) => _inner.ClassifyException(exception);
    }
}
