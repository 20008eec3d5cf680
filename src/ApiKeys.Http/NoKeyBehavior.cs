namespace ApiKeys.Http;

/// <summary>What the handler does when no key can serve a request.</summary>
public enum NoKeyBehavior
{
    /// <summary>Throw <see cref="ApiKeys.Pool.NoAvailableKeyException"/> (with <c>RetryAfter</c>).</summary>
    Throw = 0,

    /// <summary>Answer with a synthesized 429 carrying a <c>Retry-After</c> header (none when every key is disabled).</summary>
    Synthesize429 = 1,
}
