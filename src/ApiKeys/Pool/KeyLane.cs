namespace ApiKeys.Pool;

/// <summary>
/// The keys usable for one model (or for any model, the default lane): a ring of usable keys, and a queue of
/// the times cooling keys come back, so expired cooldowns are found without scanning the cooling keys.
/// Not thread-safe: the pool calls it under its lock.
/// </summary>
internal sealed class KeyLane
{
    private readonly PriorityQueue<int, long> _expiries = new();
    private long[] _scheduled = new long[16];

    /// <param name="model">The lane's model; null for the default lane.</param>
    /// <param name="withoutCooldowns">Whether this is the lane of keys with no cooldown at all, for any model.</param>
    public KeyLane(string? model, bool withoutCooldowns = false)
    {
        Model = model;
        WithoutCooldowns = withoutCooldowns;
    }

    public string? Model { get; }

    /// <summary>
    /// Whether a key cooling for any model is out of this lane too (until its last model cooldown ends). A pick for no model
    /// prefers this lane while it has keys: such a request may be for the very model a key was just limited on.
    /// </summary>
    public bool WithoutCooldowns { get; }

    public KeyRing Ring { get; } = new();

    /// <summary>Whether any return is scheduled (stale entries included).</summary>
    public bool HasScheduled => _expiries.Count > 0;

    /// <summary>Makes sure the lane looks at <paramref name="slot"/> again at <paramref name="until"/>.</summary>
    public void Schedule(int slot, DateTimeOffset until)
    {
        if (slot >= _scheduled.Length)
        {
            Array.Resize(ref _scheduled, Math.Max(slot + 1, _scheduled.Length * 2));
        }

        long ticks = until.UtcTicks;
        if (_scheduled[slot] == ticks)
        {
            return;
        }

        _scheduled[slot] = ticks;
        _expiries.Enqueue(slot, ticks);
    }

    public void Unschedule(int slot)
    {
        if (slot < _scheduled.Length)
        {
            _scheduled[slot] = 0;
        }
    }

    /// <summary>Takes the next slot whose scheduled time has come; stale entries are skipped.</summary>
    public bool TryTakeDue(DateTimeOffset now, out int slot)
    {
        long nowTicks = now.UtcTicks;
        while (_expiries.TryPeek(out slot, out long ticks))
        {
            if (ticks > nowTicks)
            {
                return false;
            }

            _expiries.Dequeue();
            if (slot < _scheduled.Length && _scheduled[slot] == ticks)
            {
                _scheduled[slot] = 0;
                return true;
            }
        }

        return false;
    }

    /// <summary>The earliest time a key of this lane comes back, if any is scheduled.</summary>
    public DateTimeOffset? NextExpiry()
    {
        while (_expiries.TryPeek(out int slot, out long ticks))
        {
            if (slot < _scheduled.Length && _scheduled[slot] == ticks)
            {
                return new DateTimeOffset(ticks, TimeSpan.Zero);
            }

            _expiries.Dequeue();
        }

        return null;
    }
}
