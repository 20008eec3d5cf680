using System.Net;
using System.Text;
using ApiKeys.Http.Classification;
using ApiKeys.Http.Tests.Support;
using ApiKeys.Pool;

namespace ApiKeys.Http.Tests.Classification;

public class GeminiResponseClassifierTests
{
    private readonly GeminiResponseClassifier _classifier = new();

    public static TheoryData<string, FailureKind> ReadmeKinds => new()
    {
        { "429-per-minute-requests", FailureKind.RateLimited },
        { "429-per-minute-input-tokens", FailureKind.RateLimited },
        { "429-per-day-requests", FailureKind.RateLimited },
        { "429-limit-zero", FailureKind.ModelUnavailable },
        { "429-bare", FailureKind.RateLimited },
        { "400-api-key-invalid", FailureKind.InvalidKey },
        { "400-api-key-expired", FailureKind.InvalidKey },
        { "400-invalid-argument-request", FailureKind.BadRequest },
        { "400-location-not-supported", FailureKind.BadRequest },
        { "403-consumer-suspended", FailureKind.Suspended },
        { "403-api-key-service-blocked", FailureKind.Forbidden },
        { "403-permission-denied", FailureKind.Forbidden },
        { "404-model-not-found", FailureKind.BadRequest },
        { "500-internal", FailureKind.Upstream },
        { "503-overloaded", FailureKind.Upstream },
        { "429-rate-limit-exceeded-per-minute", FailureKind.RateLimited },
        { "429-rate-limit-exceeded-per-day", FailureKind.RateLimited },
        { "403-service-disabled", FailureKind.Forbidden },
        { "403-api-key-leaked", FailureKind.Suspended },
        { "403-http-referrer-blocked", FailureKind.Forbidden },
        { "403-ip-address-blocked", FailureKind.Forbidden },
        { "403-android-app-blocked", FailureKind.Forbidden },
        { "403-ios-app-blocked", FailureKind.Forbidden },
        { "499-cancelled", FailureKind.Upstream },
        { "504-deadline-exceeded", FailureKind.Upstream },
        { "400-openai-api-key-invalid", FailureKind.InvalidKey },
        { "429-openai-per-minute-requests", FailureKind.RateLimited },
        { "429-openai-bare", FailureKind.RateLimited },
    };

    [Theory]
    [MemberData(nameof(ReadmeKinds))]
    public void Classify_ErrorFile_MapsToReadmeKind(string file, FailureKind expected)
    {
        using var response = Response(ErrorFiles.Status(file));

        var failure = _classifier.Classify(response, Body(file), "gemini-2.5-flash");

        Assert.NotNull(failure);
        Assert.Equal(expected, failure.Kind);
        Assert.Equal(ErrorFiles.Status(file), failure.StatusCode);
    }

    [Fact]
    public void Classify_EveryFileInSharedFolder_IsCoveredByTheReadmeTable()
    {
        var covered = ReadmeKinds.Select(row => (string)row[0]).ToHashSet();

        var files = ErrorFiles.All().ToList();

        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Contains(f, covered));
    }

    [Theory]
    [InlineData("429-per-minute-requests", 46)]
    [InlineData("429-per-minute-input-tokens", 55)]
    public void Classify_PerMinuteQuota_MinuteScopeWithRetryInfoDelay(string file, int seconds)
    {
        using var response = Response(429);

        var failure = _classifier.Classify(response, Body(file), model: null)!;

        Assert.Equal(RateLimitScope.Minute, failure.Scope);
        Assert.Equal(TimeSpan.FromSeconds(seconds), failure.RetryAfter);
        Assert.Equal("gemini-2.5-flash", failure.Model);
        Assert.True(failure.IsKeyFault);
    }

    [Fact]
    public void Classify_PerDayQuota_DayScopeIgnoringMisleadingDelay()
    {
        using var response = Response(429);

        var failure = _classifier.Classify(response, Body("429-per-day-requests"), model: null)!;

        Assert.Equal(RateLimitScope.Day, failure.Scope);
        Assert.Null(failure.RetryAfter);
        Assert.Equal("gemini-2.5-pro", failure.Model);
    }

    [Fact]
    public void Classify_LimitZero_ModelUnavailableForQuotaModel()
    {
        using var response = Response(429);

        var failure = _classifier.Classify(response, Body("429-limit-zero"), "gemini-2.5-flash")!;

        Assert.Equal(FailureKind.ModelUnavailable, failure.Kind);
        Assert.Equal("gemini-2.5-pro", failure.Model);
    }

    [Fact]
    public void Classify_Bare429WithRetryAfterHeader_UnknownScopeWithHeaderDelay()
    {
        using var response = Response(429);
        response.Headers.TryAddWithoutValidation("Retry-After", "30");

        var failure = _classifier.Classify(response, Body("429-bare"), "gemini-2.5-flash")!;

        Assert.Equal(RateLimitScope.Unknown, failure.Scope);
        Assert.Equal(TimeSpan.FromSeconds(30), failure.RetryAfter);
        Assert.Equal("gemini-2.5-flash", failure.Model);
    }

    [Fact]
    public void Classify_Bare429WithoutHeader_NoDelaySoThePoolEscalates()
    {
        using var response = Response(429);

        var failure = _classifier.Classify(response, Body("429-bare"), null)!;

        Assert.Equal(FailureKind.RateLimited, failure.Kind);
        Assert.Null(failure.RetryAfter);
    }

    [Fact]
    public void Classify_RetryDelayOnlyInMessage_UsesPleaseRetryIn()
    {
        using var response = Response(429);
        var json = """{"error":{"code":429,"message":"Quota exceeded. Please retry in 12.5s.","status":"RESOURCE_EXHAUSTED"}}""";

        var failure = _classifier.Classify(response, Encoding.UTF8.GetBytes(json), null)!;

        Assert.Equal(TimeSpan.FromSeconds(12.5), failure.RetryAfter);
    }

    [Fact]
    public void Classify_ConsumerSuspended_RecordsProjectAndMasksEchoedKey()
    {
        using var response = Response(403);

        var failure = _classifier.Classify(response, Body("403-consumer-suspended"), null)!;

        Assert.Equal(FailureKind.Suspended, failure.Kind);
        Assert.Equal("projects/123456789012", failure.Project);
        Assert.DoesNotContain(TestKeys.SuspendedCanary, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(TestKeys.SuspendedCanary, failure.ToString(), StringComparison.Ordinal);
        Assert.Contains("AIza...0042", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_ServiceBlocked_ForbiddenWithServiceBlockedForRequestModel()
    {
        using var response = Response(403);

        var failure = _classifier.Classify(response, Body("403-api-key-service-blocked"), "gemini-2.5-flash")!;

        Assert.True(failure.IsServiceBlocked);
        Assert.Equal("gemini-2.5-flash", failure.Model);
        Assert.Equal("projects/123456789012", failure.Project);
    }

    [Fact]
    public void Classify_PermissionDenied_PlainForbiddenStrike()
    {
        using var response = Response(403);

        var failure = _classifier.Classify(response, Body("403-permission-denied"), null)!;

        Assert.Equal(FailureKind.Forbidden, failure.Kind);
        Assert.False(failure.IsServiceBlocked);
    }

    [Fact]
    public void Classify_BadRequest_NoRetryNoStrike()
    {
        using var response = Response(400);

        var failure = _classifier.Classify(response, Body("400-invalid-argument-request"), "gemini-2.5-flash")!;

        Assert.False(failure.ShouldRetryOnAnotherKey);
        Assert.False(failure.IsKeyFault);
    }

    [Fact]
    public void Classify_Html502_Upstream()
    {
        using var response = Response(502);
        var html = "<html><body><h1>502 Bad Gateway</h1></body></html>"u8.ToArray();

        var failure = _classifier.Classify(response, html, null)!;

        Assert.Equal(FailureKind.Upstream, failure.Kind);
        Assert.True(failure.NeedsBackoff);
        Assert.DoesNotContain("<h1>", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(503, FailureKind.Upstream)]
    [InlineData(408, FailureKind.Upstream)]
    [InlineData(401, FailureKind.InvalidKey)]
    [InlineData(402, FailureKind.Billing)]
    [InlineData(403, FailureKind.Forbidden)]
    [InlineData(429, FailureKind.RateLimited)]
    [InlineData(404, FailureKind.BadRequest)]
    public void Classify_EmptyBody_ByStatusCode(int status, FailureKind expected)
    {
        using var response = Response(status);

        var failure = _classifier.Classify(response, ReadOnlyMemory<byte>.Empty, null)!;

        Assert.Equal(expected, failure.Kind);
        Assert.Equal(status, failure.StatusCode);
    }

    [Fact]
    public void Classify_BillingDisabledReason_Billing()
    {
        using var response = Response(403);
        var json = """{"error":{"code":403,"message":"Billing disabled","status":"PERMISSION_DENIED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"BILLING_DISABLED","metadata":{"consumer":"projects/42"}}]}}""";

        var failure = _classifier.Classify(response, Encoding.UTF8.GetBytes(json), null)!;

        Assert.Equal(FailureKind.Billing, failure.Kind);
        Assert.Equal("projects/42", failure.Project);
    }

    [Fact]
    public void Classify_Success_Null()
    {
        using var response = Response(200);

        var failure = _classifier.Classify(response, ReadOnlyMemory<byte>.Empty, null);

        Assert.Null(failure);
    }

    [Fact]
    public void ClassifyException_Timeout_Transport()
    {
        var failure = _classifier.ClassifyException(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout"));

        Assert.Equal(FailureKind.Transport, failure.Kind);
        Assert.False(failure.IsKeyFault);
    }

    [Fact]
    public void ClassifyException_ConnectionRefused_Transport()
    {
        var failure = _classifier.ClassifyException(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:1)"));

        Assert.Equal(FailureKind.Transport, failure.Kind);
        Assert.Contains("ConnectionError", failure.Message, StringComparison.Ordinal);
    }

    private static HttpResponseMessage Response(int status) => new((HttpStatusCode)status);

    private static byte[] Body(string file) => Encoding.UTF8.GetBytes(ErrorFiles.Read(file));
}
