namespace ApiKeys.Pool;

/// <summary>Whether a key is being used now, and if not, why.</summary>
public enum KeyAvailability
{
    /// <summary>Usable.</summary>
    Available = 0,

    /// <summary>Cooling down (key-wide) until a known time.</summary>
    Cooling,

    /// <summary>Disabled by a failure (invalid, suspended, blocked) until revalidated or enabled.</summary>
    Disabled,

    /// <summary>Disabled by hand.</summary>
    DisabledByHand,

    /// <summary>Usable in general, but not for the model asked about.</summary>
    ModelBlocked,

    /// <summary>Has its maximum of leases in flight.</summary>
    Busy,
}
