namespace ApiKeys.Pool;

/// <summary>Which quota a rate limit hit.</summary>
public enum RateLimitScope
{
    /// <summary>Not known: escalating cooldown, or the server's retry delay.</summary>
    Unknown = 0,

    /// <summary>A per-minute quota: cool for the server's retry delay.</summary>
    Minute = 1,

    /// <summary>A per-day quota: cool until the next midnight in America/Los_Angeles.</summary>
    Day = 2,
}
