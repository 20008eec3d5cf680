namespace ApiKeys.Http.Validation;

/// <summary>What a validation found out about a key.</summary>
public enum KeyValidationOutcome
{
    /// <summary>The key works: it is usable again (a disabled or model-blocked key comes back).</summary>
    Valid = 0,

    /// <summary>The key is invalid or expired: disabled.</summary>
    Invalid,

    /// <summary>The key's consumer is suspended: disabled.</summary>
    Suspended,

    /// <summary>The key may not call the API (403): a strike.</summary>
    Forbidden,

    /// <summary>Billing: the key and its project cool down.</summary>
    Billing,

    /// <summary>The key is valid but rate limited right now; its state is left as it is.</summary>
    RateLimited,

    /// <summary>The server or the network failed; nothing is known about the key and its state is left as it is.</summary>
    Unreachable,

    /// <summary>Any other answer; the state is left as it is.</summary>
    Error,

    /// <summary>The pool has no such key.</summary>
    NotFound,
}
