using System.Collections.Immutable;

namespace ApiKeys.Pool;

/// <summary>What the pool knows about one key. Immutable: every outcome makes a new state (see <see cref="KeyStatePolicy"/>).</summary>
/// <remarks>Holds no secret: states are keyed by key id in files, Redis and logs.</remarks>
public sealed record KeyState
{
    /// <summary>The state of a key nothing has happened to.</summary>
    public static KeyState Empty { get; } = new();

    /// <summary>Consecutive strikes (unknown failures and plain 403s); reset by a success. The seed's <c>failures</c>.</summary>
    public int Failures { get; init; }

    /// <summary>Every success reported.</summary>
    public long TotalSuccesses { get; init; }

    /// <summary>Every failure reported, of any kind.</summary>
    public long TotalFailures { get; init; }

    /// <summary>Key-wide cooldown end; null or past: not cooling. The seed's <c>blocked_until</c>.</summary>
    public DateTimeOffset? BlockedUntil { get; init; }

    /// <summary>Why the key-wide cooldown was set.</summary>
    public FailureKind? BlockKind { get; init; }

    /// <summary>When the key last failed. The seed's <c>last_failed</c>.</summary>
    public DateTimeOffset? LastFailed { get; init; }

    /// <summary>When an outcome was last reported for the key.</summary>
    public DateTimeOffset? LastUsed { get; init; }

    /// <summary>The last error: kind, redacted message, time.</summary>
    public KeyError? LastError { get; init; }

    /// <summary>The key-wide escalation level: the next cooldown is <c>BaseCooldown x 2^level</c>.</summary>
    public int CooldownLevel { get; init; }

    /// <summary>When <see cref="CooldownLevel"/> last changed (decay counts quiet periods from here).</summary>
    public DateTimeOffset? LevelChangedAt { get; init; }

    /// <summary>Set when the key was disabled by a failure (invalid, suspended, blocked): it stays out until revalidated or enabled.</summary>
    public FailureKind? DisabledKind { get; init; }

    /// <summary>Why the key is disabled (redacted), for people.</summary>
    public string? DisabledReason { get; init; }

    /// <summary>When the key was disabled.</summary>
    public DateTimeOffset? DisabledAt { get; init; }

    /// <summary>Cooldowns per model: a key rate-limited on one model can still serve another.</summary>
    public ImmutableDictionary<string, ModelBlock> Models { get; init; } = ImmutableDictionary<string, ModelBlock>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>The project an error revealed (Gemini's <c>consumer</c>), used when the key has none configured.</summary>
    public string? LearnedProject { get; init; }

    /// <summary>When a field other than the counters last changed: the newer side wins when processes merge.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Whether the key is disabled by a failure.</summary>
    public bool IsDisabled => DisabledKind is not null;

    /// <summary>Whether a key-wide cooldown holds at <paramref name="now"/>.</summary>
    public bool IsCooling(DateTimeOffset now) => BlockedUntil is { } until && until > now;

    /// <summary>Whether the key can serve <paramref name="model"/> at <paramref name="now"/> (disabled-by-hand aside).</summary>
    public bool IsUsable(DateTimeOffset now, string? model = null) =>
        DisabledKind is null && !IsCooling(now) && (model is null || !Models.TryGetValue(model, out var block) || !block.IsActive(now));

    /// <summary>Whether only counters differ between this state and <paramref name="other"/> (no cooldown, disable or level changed).</summary>
    internal bool SameBlocks(KeyState other) =>
        BlockedUntil == other.BlockedUntil && DisabledKind == other.DisabledKind && ReferenceEquals(Models, other.Models);
}
