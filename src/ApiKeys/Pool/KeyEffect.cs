namespace ApiKeys.Pool;

/// <summary>How an outcome changed a key's availability.</summary>
public enum KeyEffect
{
    /// <summary>Counters only.</summary>
    None = 0,

    /// <summary>A strike was counted, below the threshold.</summary>
    Strike,

    /// <summary>The key cools down (key-wide).</summary>
    Cooling,

    /// <summary>The key cools down for one model.</summary>
    ModelCooling,

    /// <summary>The key is out for one model until revalidated.</summary>
    ModelDisabled,

    /// <summary>The key is disabled until revalidated or enabled.</summary>
    Disabled,
}
