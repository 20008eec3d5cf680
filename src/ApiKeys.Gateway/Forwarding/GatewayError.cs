namespace ApiKeys.Gateway.Forwarding;

/// <summary>An answer the gateway makes itself, in whichever API's shape the route speaks.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Message">What happened and what to do, for people.</param>
/// <param name="GoogleStatus">The <c>google.rpc.Code</c> name (<c>UNAUTHENTICATED</c>, <c>RESOURCE_EXHAUSTED</c>).</param>
/// <param name="OpenAiType">OpenAI's error <c>type</c>.</param>
/// <param name="OpenAiCode">OpenAI's error <c>code</c>.</param>
/// <param name="Outcome">How the request ended.</param>
/// <param name="RetryAfter">When to try again, for a 429 (as <c>Retry-After</c> seconds and a <c>google.rpc.RetryInfo</c>).</param>
public sealed record GatewayError(int Status, string Message, string GoogleStatus, string OpenAiType, string OpenAiCode, GatewayOutcome Outcome, TimeSpan? RetryAfter = null)
{
    /// <summary>No valid client token.</summary>
    public static GatewayError Unauthorized() => new(401,
        "The gateway needs a client token (x-goog-api-key, ?key= or Authorization: Bearer); this one is missing, unknown, revoked or expired. Create one with: apikeys token create --name NAME",
        "UNAUTHENTICATED", "invalid_request_error", "invalid_api_key", GatewayOutcome.Unauthorized);

    /// <summary>The token may not use the model.</summary>
    public static GatewayError ModelNotAllowed(string token, string model) => new(403,
        $"The client token '{token}' may not use the model '{model}'.", "PERMISSION_DENIED", "permission_error", "model_not_allowed", GatewayOutcome.ModelNotAllowed);

    /// <summary>The token's own limit refused the request.</summary>
    public static GatewayError ClientLimit(string token, string limit, TimeSpan retryAfter) => new(429,
        $"The client token '{token}' reached its limit of {limit}; retry in {Seconds(retryAfter)} s.", "RESOURCE_EXHAUSTED", "requests", "rate_limit_exceeded",
        GatewayOutcome.ClientRateLimited, retryAfter);

    /// <summary>The body is larger than the gateway takes.</summary>
    public static GatewayError BodyTooLarge(long limit) => new(413,
        $"The request body is larger than the gateway's limit of {limit} bytes (Gateway:MaxRequestBodyBytes).", "INVALID_ARGUMENT", "invalid_request_error",
        "request_too_large", GatewayOutcome.BodyTooLarge);

    /// <summary>Every key is cooling or busy.</summary>
    public static GatewayError NoKey(string message, TimeSpan retryAfter) => new(429, message, "RESOURCE_EXHAUSTED", "requests", "rate_limit_exceeded",
        GatewayOutcome.NoKeyAvailable, retryAfter);

    /// <summary>Every key is disabled, or the pool has none.</summary>
    public static GatewayError NoUsableKey(string message) => new(503, message, "UNAVAILABLE", "server_error", "no_usable_keys", GatewayOutcome.NoUsableKey);

    /// <summary>The upstream gave no headers in time.</summary>
    public static GatewayError UpstreamTimeout(TimeSpan timeout) => new(504,
        $"The upstream did not answer within {timeout.TotalSeconds:0} s (Gateway:ResponseHeadersTimeout).", "DEADLINE_EXCEEDED", "server_error", "upstream_timeout",
        GatewayOutcome.UpstreamTimeout);

    /// <summary>The upstream could not be reached.</summary>
    public static GatewayError UpstreamUnreachable(string what) => new(502,
        $"The upstream could not be reached: {what}.", "UNAVAILABLE", "server_error", "upstream_unreachable", GatewayOutcome.UpstreamUnreachable);

    /// <summary>The shared state (Redis: keys' state, tokens, limits) could not be reached.</summary>
    public static GatewayError BackendUnavailable(string what) => new(503,
        $"The gateway's shared state cannot be reached ({what}); try again shortly.", "UNAVAILABLE", "server_error", "backend_unavailable",
        GatewayOutcome.BackendUnavailable, TimeSpan.FromSeconds(1));

    /// <summary>Whole seconds, rounded up (Retry-After takes an integer).</summary>
    public static long Seconds(TimeSpan span) => (long)Math.Ceiling(Math.Max(span.TotalSeconds, 0));
}
