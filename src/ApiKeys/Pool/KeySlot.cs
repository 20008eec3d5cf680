using ApiKeys.Keys;

namespace ApiKeys.Pool;

/// <summary>One key in the pool, with its state. Guarded by the pool's lock.</summary>
internal sealed class KeySlot
{
    public KeySlot(int index, ApiKey key, KeyState state, KeyState? baseline)
    {
        Index = index;
        Key = key;
        Mask = key.Mask;
        State = state;
        Baseline = baseline;
    }

    public int Index { get; }

    public ApiKey Key { get; set; }

    public string Mask { get; }

    public KeyState State { get; set; }

    /// <summary>The state last read from or written to the store.</summary>
    public KeyState? Baseline { get; set; }

    public int InFlight { get; set; }

    public bool Dirty { get; set; }

    public bool Removed { get; set; }

    /// <summary>Whether the slot was out of the default lane because of a cooldown (so its return is announced).</summary>
    public bool WasCooling { get; set; }

    public string? Project => Key.Project ?? State.LearnedProject;

    /// <summary>Counters of the proactive request limits, by limit model ("" for every model).</summary>
    public Dictionary<string, ApiKeyManager.RequestWindow>? Limits { get; set; }
}
