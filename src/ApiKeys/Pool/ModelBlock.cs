namespace ApiKeys.Pool;

/// <summary>A cooldown of one key for one model.</summary>
/// <param name="Until">When the model comes back for this key; null: not until revalidated.</param>
/// <param name="Kind">Why (<see cref="FailureKind.RateLimited"/>, <see cref="FailureKind.ModelUnavailable"/> or <see cref="FailureKind.Forbidden"/>).</param>
/// <param name="Level">The escalation level reached for this key x model.</param>
/// <param name="Since">When the block was set.</param>
public sealed record ModelBlock(DateTimeOffset? Until, FailureKind Kind, int Level, DateTimeOffset Since)
{
    /// <summary>Whether the block still holds at <paramref name="now"/>.</summary>
    public bool IsActive(DateTimeOffset now) => Until is not { } until || until > now;
}
