using ApiKeys.Pool;

namespace ApiKeys.Http.Classification;

/// <summary>
/// Reads Gemini's <c>google.rpc</c> error details (ErrorInfo reasons, QuotaFailure quota ids and values, RetryInfo
/// delays, "Please retry in Xs", the consumer project, the quota's time unit) and maps every answer to the kind of DESIGN.md's
/// failure table. Bodies wrapped in a one-element array (Gemini's OpenAI-compatible endpoint) are read the same way.
/// Bodies that are not JSON fall back to the status code, like <see cref="GenericResponseClassifier"/>.
/// </summary>
public sealed class GeminiResponseClassifier : IResponseClassifier
{
    private readonly TimeProvider _time;

    /// <summary>Creates the classifier.</summary>
    /// <param name="timeProvider">The clock (for <c>Retry-After</c> dates); null for the system clock.</param>
    public GeminiResponseClassifier(TimeProvider? timeProvider = null) => _time = timeProvider ?? TimeProvider.System;

    /// <inheritdoc />
    public KeyFailure? Classify(HttpResponseMessage response, ReadOnlyMemory<byte> body, string? model)
    {
        ArgumentNullException.ThrowIfNull(response);
        int status = (int)response.StatusCode;
        if (status < 400)
        {
            return null;
        }

        return Classify(response, GeminiError.TryParse(body), body, model);
    }

    /// <inheritdoc />
    public KeyFailure ClassifyException(Exception exception) => ClassifierHelpers.Transport(exception);

    /// <summary>Classifies with the body already parsed (null: not a Gemini error body).</summary>
    internal KeyFailure? Classify(HttpResponseMessage response, GeminiError? error, ReadOnlyMemory<byte> body, string? model)
    {
        int status = (int)response.StatusCode;
        if (status < 400)
        {
            return null;
        }

        string? message = error?.Message is { Length: > 0 } m ? m : ClassifierHelpers.ShortText(response, body);
        var header = ClassifierHelpers.RetryAfter(response, _time);
        var failure = error is null ? ByStatus(status, message, header, model) : ByDetails(status, error, message, header, model);
        return failure.WithStatusCode(status);
    }

    private static KeyFailure ByDetails(int status, GeminiError e, string? message, TimeSpan? header, string? model)
    {
        string? project = e.Consumer;
        string? quotaModel = e.QuotaModel ?? model;
        if (e.HasReason("API_KEY_INVALID") || e.HasReason("API_KEY_EXPIRED") || status == 401)
        {
            return KeyFailure.InvalidKey(message);
        }

        if (status == 403 && message?.Contains("reported as leaked", StringComparison.OrdinalIgnoreCase) == true)
        {
            return KeyFailure.Leaked(message, project);
        }

        if (e.HasReason("CONSUMER_SUSPENDED") || (status == 403 && message?.Contains("has been suspended", StringComparison.OrdinalIgnoreCase) == true))
        {
            return KeyFailure.Suspended(message, project);
        }

        if (e.HasReason("SERVICE_DISABLED"))
        {
            return KeyFailure.ServiceDisabled(e.Service, project, message);
        }

        if (Restriction(e) is { } restriction)
        {
            return KeyFailure.Restricted(restriction, message, project);
        }

        if (e.HasReason("API_KEY_SERVICE_BLOCKED"))
        {
            return KeyFailure.Forbidden(message, serviceBlocked: true, model, project);
        }

        if (e.HasReason("BILLING_DISABLED") || status == 402)
        {
            return KeyFailure.Billing(message, project);
        }

        if (status == 429 || e.Status == "RESOURCE_EXHAUSTED" || e.HasReason("RATE_LIMIT_EXCEEDED") || e.HasReason("RESOURCE_EXHAUSTED"))
        {
            if (e.HasZeroLimit)
            {
                return KeyFailure.ModelUnavailable(quotaModel, message, project);
            }

            // The quota's time unit decides: a daily quota's retry delay is misleading (the pool cools the key until the
            // quota's midnight); a per-minute one's is right.
            var scope = e.QuotaScope();
            return scope == RateLimitScope.Day
                ? KeyFailure.RateLimited(null, RateLimitScope.Day, quotaModel, message, project)
                : KeyFailure.RateLimited(e.RetryDelay ?? header, scope, quotaModel, message, project);
        }

        return ByStatus(status, message, e.RetryDelay ?? header, model, project);
    }

    private static FailureDetail? Restriction(GeminiError e) =>
        e.HasReason("API_KEY_HTTP_REFERRER_BLOCKED") ? FailureDetail.HttpReferrerRestricted
        : e.HasReason("API_KEY_IP_ADDRESS_BLOCKED") ? FailureDetail.IpAddressRestricted
        : e.HasReason("API_KEY_ANDROID_APP_BLOCKED") ? FailureDetail.AndroidAppRestricted
        : e.HasReason("API_KEY_IOS_APP_BLOCKED") ? FailureDetail.IosAppRestricted
        : null;

    private static KeyFailure ByStatus(int status, string? message, TimeSpan? retryAfter, string? model, string? project = null) => status switch
    {
        401 => KeyFailure.InvalidKey(message),
        402 => KeyFailure.Billing(message, project),
        403 => KeyFailure.Forbidden(message, project: project),
        429 => KeyFailure.RateLimited(retryAfter, RateLimitScope.Unknown, model, message, project),
        // 499 is Google's CANCELLED (the server gave up on the call), not the caller's fault.
        408 or 499 or >= 500 => KeyFailure.Upstream(message, retryAfter),
        // Other 400s (INVALID_ARGUMENT, FAILED_PRECONDITION: region), 404 model not found: the request's fault.
        _ => KeyFailure.BadRequest(message, model),
    };
}
