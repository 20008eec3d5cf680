using System.Net;
using System.Text;
using ApiKeys.Http.Classification;
using ApiKeys.Http.Tests.Support;
using ApiKeys.Pool;

namespace ApiKeys.Http.Tests.Classification;

/// <summary><see cref="GeminiResponseClassifier"/> on the answers whose details change the policy: the quota's time unit,
/// an API not enabled, restricted and leaked keys, Google's 499 and 504, the OpenAI-compatible endpoint's wrapped bodies.</summary>
public class GeminiErrorDetailTests
{
    private readonly GeminiResponseClassifier _classifier = new();

    [Theory]
    [InlineData("429-rate-limit-exceeded-per-minute", RateLimitScope.Minute)]
    [InlineData("429-rate-limit-exceeded-per-day", RateLimitScope.Day)]
    public void Classify_RateLimitExceededWithQuotaUnit_ScopeFromTheUnit(string file, RateLimitScope scope)
    {
        using var response = Response(429);

        var failure = Classify(response, file, "gemini-2.5-flash");

        Assert.Equal(FailureKind.RateLimited, failure.Kind);
        Assert.Equal(scope, failure.Scope);
        Assert.Equal("gemini-2.5-flash", failure.Model);
        Assert.Equal("projects/123456789012", failure.Project);
    }

    [Theory]
    [InlineData("1/min/{project}/{region}", RateLimitScope.Minute)]
    [InlineData("1/d/{project}", RateLimitScope.Day)]
    [InlineData("1/s/{project}", RateLimitScope.Minute)]
    public void Classify_QuotaUnitUnderAnotherStatus_StillDecidesTheScope(string unit, RateLimitScope scope)
    {
        // RATE_LIMIT_EXCEEDED with no quota id at all: only the unit tells the time scale.
        string json = $$$"""
            {"error":{"code":429,"message":"Quota exceeded.","status":"RESOURCE_EXHAUSTED","details":[
              {"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com",
               "metadata":{"quota_unit":"{{{unit}}}","quota_limit_value":"60"}},
              {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"12s"}]}}
            """;
        using var response = Response(429);

        var failure = _classifier.Classify(response, Encoding.UTF8.GetBytes(json), "gemini-2.5-pro")!;

        Assert.Equal(scope, failure.Scope);
        Assert.Equal(scope == RateLimitScope.Day ? null : TimeSpan.FromSeconds(12), failure.RetryAfter);
    }

    [Fact]
    public void Classify_QuotaFailureDescriptionPerDay_DayEvenWithARetryDelay()
    {
        string json = """
            {"error":{"code":429,"message":"Quota exceeded.","status":"RESOURCE_EXHAUSTED","details":[
              {"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"subject":"project:123","description":"Daily Limit Exceeded: requests per day"}]},
              {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"7s"}]}}
            """;
        using var response = Response(429);

        var failure = _classifier.Classify(response, Encoding.UTF8.GetBytes(json), null)!;

        Assert.Equal(RateLimitScope.Day, failure.Scope);
        Assert.Null(failure.RetryAfter);
    }

    [Fact]
    public void Classify_ServiceDisabled_NamesTheApiAndTheProject()
    {
        using var response = Response(403);

        var failure = Classify(response, "403-service-disabled", "gemini-2.5-flash");

        Assert.Equal(FailureKind.Forbidden, failure.Kind);
        Assert.Equal(FailureDetail.ServiceDisabled, failure.Detail);
        Assert.Equal("Generative Language API", failure.Service);
        Assert.Equal("projects/123456789012", failure.Project);
        Assert.True(failure.IsKeyFault);
    }

    [Theory]
    [InlineData("403-http-referrer-blocked", FailureDetail.HttpReferrerRestricted)]
    [InlineData("403-ip-address-blocked", FailureDetail.IpAddressRestricted)]
    [InlineData("403-android-app-blocked", FailureDetail.AndroidAppRestricted)]
    [InlineData("403-ios-app-blocked", FailureDetail.IosAppRestricted)]
    public void Classify_KeyRestrictedToOtherCallers_Restricted(string file, FailureDetail restriction)
    {
        using var response = Response(403);

        var failure = Classify(response, file, null);

        Assert.Equal(FailureKind.Forbidden, failure.Kind);
        Assert.Equal(restriction, failure.Detail);
        Assert.True(failure.IsKeyRestriction);
    }

    [Fact]
    public void Classify_ReportedAsLeaked_LeakedSuspension()
    {
        using var response = Response(403);

        var failure = Classify(response, "403-api-key-leaked", null);

        Assert.Equal(FailureKind.Suspended, failure.Kind);
        Assert.Equal(FailureDetail.Leaked, failure.Detail);
    }

    [Theory]
    [InlineData("499-cancelled")]
    [InlineData("504-deadline-exceeded")]
    public void Classify_GoogleCancelledOrDeadline_UpstreamRetriedWithBackoff(string file)
    {
        using var response = Response(ErrorFiles.Status(file));

        var failure = Classify(response, file, "gemini-2.5-flash");

        Assert.Equal(FailureKind.Upstream, failure.Kind);
        Assert.True(failure.ShouldRetryOnAnotherKey);
        Assert.True(failure.NeedsBackoff);
    }

    [Fact]
    public void Classify_OpenAIEndpointArrayWrapped_ReadLikeTheNativeBody()
    {
        using var invalid = Response(400);
        using var limited = Response(429);

        var key = Classify(invalid, "400-openai-api-key-invalid", "gemini-2.5-flash");
        var quota = Classify(limited, "429-openai-per-minute-requests", "gemini-2.5-pro");

        Assert.Equal(FailureKind.InvalidKey, key.Kind);
        Assert.Equal(RateLimitScope.Minute, quota.Scope);
        Assert.Equal(TimeSpan.FromSeconds(30), quota.RetryAfter);
        Assert.Equal("gemini-2.5-flash", quota.Model); // the model the error names, not the request's
    }

    private KeyFailure Classify(HttpResponseMessage response, string file, string? model) =>
        _classifier.Classify(response, Encoding.UTF8.GetBytes(ErrorFiles.Read(file)), model)!;

    private static HttpResponseMessage Response(int status) => new((HttpStatusCode)status);
}
