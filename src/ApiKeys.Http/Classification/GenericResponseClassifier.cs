using System.Text;
using ApiKeys.Pool;

namespace ApiKeys.Http.Classification;

/// <summary>
/// Classifies by status code and <c>Retry-After</c> alone, for APIs without Gemini's error details (OpenAI-style APIs):
/// 401 invalid key, 402 billing, 403 forbidden, 429 rate limited (OpenAI's <c>insufficient_quota</c>: billing),
/// 408 and 5xx upstream, other 4xx the caller's request.
/// </summary>
public sealed class GenericResponseClassifier : IResponseClassifier
{
    private static readonly byte[] InsufficientQuota = Encoding.UTF8.GetBytes("insufficient_quota");
    private readonly TimeProvider _time;

    /// <summary>Creates the classifier.</summary>
    /// <param name="timeProvider">The clock (for <c>Retry-After</c> dates); null for the system clock.</param>
    public GenericResponseClassifier(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public KeyFailure? Classify(HttpResponseMessage response, ReadOnlyMemory<byte> body, string? model)
    {
        ArgumentNullException.ThrowIfNull(response);
        int status = (int)response.StatusCode;
        if (status < 400)
        {
            return null;
        }

        string? message = ClassifierHelpers.ShortText(response, body);
        var retryAfter = ClassifierHelpers.RetryAfter(response, _time);
        var failure = status switch
        {
            401 => KeyFailure.InvalidKey(message),
            402 => KeyFailure.Billing(message),
            403 => KeyFailure.Forbidden(message),
            429 when body.Span.IndexOf(InsufficientQuota) >= 0 => KeyFailure.Billing(message),
            429 => KeyFailure.RateLimited(retryAfter, RateLimitScope.Unknown, model, message),
            408 or >= 500 => KeyFailure.Upstream(message, retryAfter),
            _ => KeyFailure.BadRequest(message, model),
        };
        return failure.WithStatusCode(status);
    }

    /// <inheritdoc />
    public KeyFailure ClassifyException(Exception exception) => ClassifierHelpers.Transport(exception);
}
