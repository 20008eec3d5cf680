using ApiKeys.Keys;

namespace ApiKeys.Pool;

/// <summary>One key in the pool, with its state.</summary>
/// <remarks>Not thread-safe: the caller holds the pool's lock.</remarks>
internal sealed class KeySlot
{
    private KeyState _state;
    private long _pendingSuccesses;
    private DateTimeOffset _pendingLastUsed;

    public KeySlot(int index, ApiKey key, KeyState state, KeyState? baseline)
    {
        Index = index;
        Key = key;
        _state = state;
        Baseline = baseline;
    }

    public int Index { get; }

    public ApiKey Key { get; set; }

    public string Mask => Key.Mask;

    /// <summary>The key's state, with every success counted.</summary>
    public KeyState State
    {
        get
        {
            if (_pendingSuccesses != 0)
            {
                _state = _state with { TotalSuccesses = _state.TotalSuccesses + _pendingSuccesses, LastUsed = _pendingLastUsed };
                _pendingSuccesses = 0;
            }

            return _state;
        }

        set
        {
            _pendingSuccesses = 0;
            _state = value;
        }
    }

    /// <summary>
    /// The state as far as availability goes (cooldowns, disables, model blocks, strikes): current, though the
    /// success counters may lag. Reading it costs no allocation, which is what the hot path needs.
    /// </summary>
    public KeyState Blocks => _state;

    /// <summary>The state last read from or written to the store.</summary>
    public KeyState? Baseline { get; set; }

    public int InFlight { get; set; }

    public bool Dirty { get; set; }

    public bool Removed { get; set; }

    public string? Project => Key.Project ?? _state.LearnedProject;

    /// <summary>
    /// Counts a success that changes nothing but the counters (<see cref="KeyStatePolicy.IsCounterOnlySuccess"/>), without
    /// making a new state: the counters are folded in when <see cref="State"/> is next read.
    /// </summary>
    public void AddSuccess(DateTimeOffset now)
    {
        _pendingSuccesses++;
        _pendingLastUsed = now;
    }

    /// <summary>Counters of the proactive request limits, by limit model ("" for every model).</summary>
    public Dictionary<string, RequestWindow>? Limits { get; set; }
}
