namespace ApiKeys.Pool;

/// <summary>The environment-fault guard's rules, the same for every backend.</summary>
public static partial class KeyStatePolicy
{
    /// <summary>Whether <paramref name="effect"/> takes the key (or key x model) out of service: what the environment-fault guard counts.</summary>
    /// <param name="effect">A transition's effect.</param>
    /// <returns>True for a cooldown or a disable, of the key or of one model.</returns>
    public static bool TakesOut(KeyEffect effect) =>
        effect is KeyEffect.Cooling or KeyEffect.ModelCooling or KeyEffect.ModelDisabled or KeyEffect.Disabled;

    /// <summary>
    /// The state of a key whose failure the guard excuses after the fact (it tripped on a later one): the state that failure
    /// would have left excused (strikes and escalation undone, a cooldown the server asked for kept), with the key's current
    /// totals, last use, last failure and last error, as of <paramref name="now"/>.
    /// </summary>
    /// <param name="excused">The state the failure would have left excused (<see cref="Apply"/> of the excused outcome to the state before it).</param>
    /// <param name="current">The key's state now.</param>
    /// <param name="now">The time.</param>
    /// <returns>The key's new state.</returns>
    public static KeyState RestoreExcused(KeyState excused, KeyState current, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(excused);
        ArgumentNullException.ThrowIfNull(current);
        return excused with
        {
            TotalSuccesses = current.TotalSuccesses,
            TotalFailures = current.TotalFailures,
            LastUsed = current.LastUsed,
            LastFailed = current.LastFailed,
            LastError = current.LastError,
            UpdatedAt = now,
        };
    }
}
