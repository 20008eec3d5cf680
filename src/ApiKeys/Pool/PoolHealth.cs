namespace ApiKeys.Pool;

/// <summary>A health summary of the pool: how many keys are usable, and what needs attention.</summary>
public sealed record PoolHealth
{
    /// <summary>Every key.</summary>
    public int TotalKeys { get; init; }

    /// <summary>Keys usable now.</summary>
    public int UsableKeys { get; init; }

    /// <summary>Keys cooling down.</summary>
    public int CoolingKeys { get; init; }

    /// <summary>Keys disabled (by a failure or by hand).</summary>
    public int DisabledKeys { get; init; }

    /// <summary>Ids of keys older than the rotation age (the seed: "rotate keys quarterly").</summary>
    public IReadOnlyList<string> KeysDueForRotation { get; init; } = [];

    /// <summary>Warnings for people, e.g. fewer than 3 usable keys (the seed: "maintain at least 3 active keys").</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Until when the environment-fault guard asks callers to back off, if it does.</summary>
    public DateTimeOffset? BackOffUntil { get; init; }

    /// <summary>Whether nothing needs attention.</summary>
    public bool IsHealthy => Warnings.Count == 0;
}
