using System.Net;
using System.Text;
using ApiKeys.Http.Classification;
using ApiKeys.Pool;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Http.Tests.Classification;

public class GenericResponseClassifierTests
{
    [Fact]
    public void Classify_429WithRetryAfterSeconds_RateLimitedWithDelay()
    {
        var classifier = new GenericResponseClassifier();
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.TryAddWithoutValidation("Retry-After", "20");

        var failure = classifier.Classify(response, ReadOnlyMemory<byte>.Empty, "gpt-4o")!;

        Assert.Equal(FailureKind.RateLimited, failure.Kind);
        Assert.Equal(TimeSpan.FromSeconds(20), failure.RetryAfter);
        Assert.Equal("gpt-4o", failure.Model);
    }

    [Fact]
    public void Classify_429WithRetryAfterDate_DelayFromClock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var classifier = new GenericResponseClassifier(time);
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(time.GetUtcNow().AddSeconds(90));

        var failure = classifier.Classify(response, ReadOnlyMemory<byte>.Empty, null)!;

        Assert.Equal(TimeSpan.FromSeconds(90), failure.RetryAfter);
    }

    [Fact]
    public void Classify_OpenAiInsufficientQuota_Billing()
    {
        var classifier = new GenericResponseClassifier();
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        var body = Encoding.UTF8.GetBytes("""{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}""");

        var failure = classifier.Classify(response, body, null)!;

        Assert.Equal(FailureKind.Billing, failure.Kind);
    }

    [Theory]
    [InlineData(401, FailureKind.InvalidKey)]
    [InlineData(402, FailureKind.Billing)]
    [InlineData(403, FailureKind.Forbidden)]
    [InlineData(500, FailureKind.Upstream)]
    [InlineData(502, FailureKind.Upstream)]
    [InlineData(408, FailureKind.Upstream)]
    [InlineData(400, FailureKind.BadRequest)]
    [InlineData(404, FailureKind.BadRequest)]
    public void Classify_Status_MapsToKind(int status, FailureKind expected)
    {
        var classifier = new GenericResponseClassifier();
        using var response = new HttpResponseMessage((HttpStatusCode)status);

        var failure = classifier.Classify(response, ReadOnlyMemory<byte>.Empty, null)!;

        Assert.Equal(expected, failure.Kind);
        Assert.Equal(status, failure.StatusCode);
    }
}
