namespace ApiKeys.Gateway.Forwarding;

/// <summary>How a request through the gateway ended.</summary>
public enum GatewayOutcome
{
    /// <summary>The upstream's answer reached the client whole (a success or an upstream error passed through).</summary>
    Forwarded = 0,

    /// <summary>No valid client token (401).</summary>
    Unauthorized,

    /// <summary>The token may not use the model (403).</summary>
    ModelNotAllowed,

    /// <summary>The token's own limits refused it (429).</summary>
    ClientRateLimited,

    /// <summary>The request body is larger than allowed (413).</summary>
    BodyTooLarge,

    /// <summary>Every key is cooling down or busy (429 with Retry-After).</summary>
    NoKeyAvailable,

    /// <summary>Every key is disabled, or there is none (503).</summary>
    NoUsableKey,

    /// <summary>The upstream did not answer with headers in time (504).</summary>
    UpstreamTimeout,

    /// <summary>The upstream could not be reached (502).</summary>
    UpstreamUnreachable,

    /// <summary>The upstream failed or went silent after the first byte: the stream was ended where it stood.</summary>
    StreamInterrupted,

    /// <summary>The client went away; the upstream call was cancelled and the key charged nothing.</summary>
    ClientDisconnected,

    /// <summary>No such route: nothing was forwarded (404).</summary>
    NotFound,

    /// <summary>The shared state (Redis) could not be reached (503).</summary>
    BackendUnavailable,
}
