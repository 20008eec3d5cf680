namespace ApiKeys.Pool;

/// <summary>A change of a key's availability.</summary>
public enum KeyEventKind
{
    /// <summary>The key (or key x model) started cooling down.</summary>
    Cooling,

    /// <summary>The key (or key x model) came back.</summary>
    Restored,

    /// <summary>The key (or key x model) was disabled until revalidated or enabled.</summary>
    Disabled,

    /// <summary>The key was enabled or revalidated.</summary>
    Enabled,
}
