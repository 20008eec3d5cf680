namespace ApiKeys.Pool;

/// <summary>Why a call with a key failed. Each kind has its own effect on the key (see docs/failures.md).</summary>
public enum FailureKind
{
    /// <summary>Unclassified: a strike; at the threshold of consecutive strikes the key cools down, escalating.</summary>
    Unknown = 0,

    /// <summary>Quota exhausted (429): the key x model cools for the server's delay, or until the quota resets.</summary>
    RateLimited = 1,

    /// <summary>The model is not offered to this key (429 with quota 0): that key x model is out until revalidated.</summary>
    ModelUnavailable = 2,

    /// <summary>The key is invalid or expired (400 API_KEY_INVALID, 401): disabled until revalidated or enabled by hand.</summary>
    InvalidKey = 3,

    /// <summary>The consumer was suspended (403 CONSUMER_SUSPENDED): disabled.</summary>
    Suspended = 4,

    /// <summary>Forbidden (403): a blocked service takes that model out until revalidated; any other 403 is a strike.</summary>
    Forbidden = 5,

    /// <summary>Billing (402, prepaid credit used up): the key and its project cool, escalating.</summary>
    Billing = 6,

    /// <summary>The server failed (500, 503, 408): not the key's fault, no strike; retry elsewhere with backoff.</summary>
    Upstream = 7,

    /// <summary>The network failed (timeout, refused, reset): no strike; retry with backoff.</summary>
    Transport = 8,

    /// <summary>The request itself is wrong (400, 404, region): no strike and no retry.</summary>
    BadRequest = 9,
}
