using ApiKeys.Pool;

namespace ApiKeys.Usage.Queries;

/// <summary>One row of the request log: ids and names, never a key, a token or a body.</summary>
public sealed record RequestLogEntry
{
    /// <summary>The row's id (grows with time; the cursor of pages).</summary>
    public required long Id { get; init; }

    /// <summary>When the request started.</summary>
    public required DateTimeOffset At { get; init; }

    /// <summary>The client token's name ("" when none).</summary>
    public required string Token { get; init; }

    /// <summary>The route ("" when none).</summary>
    public required string Route { get; init; }

    /// <summary>The model ("" when none).</summary>
    public required string Model { get; init; }

    /// <summary>The key's id ("" when no key was used).</summary>
    public required string KeyId { get; init; }

    /// <summary>The status the client got (0: none).</summary>
    public required int Status { get; init; }

    /// <summary>The outcome (<c>Success</c>, a failure kind, <c>NoKey</c>, <c>Cancelled</c>, <c>Rejected</c>).</summary>
    public required string Outcome { get; init; }

    /// <summary>The failure kind, when the outcome is one.</summary>
    public FailureKind? Failure => Enum.TryParse<FailureKind>(Outcome, out var kind) ? kind : null;

    /// <summary>Retries (attempts after the first).</summary>
    public int Retries { get; init; }

    /// <summary>The latency in milliseconds.</summary>
    public long LatencyMs { get; init; }

    /// <summary>The time to first byte in milliseconds.</summary>
    public long? TtfbMs { get; init; }

    /// <summary>Input tokens.</summary>
    public long? InputTokens { get; init; }

    /// <summary>Output tokens.</summary>
    public long? OutputTokens { get; init; }

    /// <summary>Cached input tokens.</summary>
    public long? CachedTokens { get; init; }

    /// <summary>Thinking tokens.</summary>
    public long? ThinkingTokens { get; init; }
}
