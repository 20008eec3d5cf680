namespace ApiKeys.Pool;

/// <summary>Why no key is available.</summary>
public enum NoKeyReason
{
    /// <summary>Every key is cooling down; one comes back at a known time.</summary>
    Cooling = 0,

    /// <summary>The pool has no keys.</summary>
    Empty,

    /// <summary>Every key is disabled: none comes back by itself.</summary>
    AllDisabled,

    /// <summary>Every usable key has its maximum of leases in flight.</summary>
    AllBusy,

    /// <summary>The environment-fault guard asks every caller to back off.</summary>
    EnvironmentFault,
}
