namespace ApiKeys.Pool;

/// <summary>
/// The leases in flight: their numbers, each key's count against <see cref="ApiKeyManagerOptions.MaxLeasesPerKey"/> (a key
/// at the cap steps out of the lanes until a lease comes back), and the callers waiting for a key to come back.
/// </summary>
/// <remarks>Not thread-safe: the caller holds the pool's lock.</remarks>
internal sealed class LeaseTable(KeyLanes lanes, ApiKeyManagerOptions options, TimeProvider time)
{
    private long _ids;
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a lease comes back or the keys change: what <c>AcquireAsync</c> waits for besides the clock.</summary>
    public Task Released => _released.Task;

    /// <summary>Counts a lease on <paramref name="slot"/>; returns its number.</summary>
    public long Take(KeySlot slot, DateTimeOffset now)
    {
        slot.InFlight++;
        if (options.MaxLeasesPerKey is { } cap && slot.InFlight >= cap)
        {
            lanes.Reconcile(slot, now);
        }

        return ++_ids;
    }

    /// <summary>A lease on <paramref name="slot"/> came back: a key leaving the cap returns to the lanes, and waiters look again.</summary>
    public void Release(KeySlot slot)
    {
        if (slot.InFlight <= 0)
        {
            return;
        }

        slot.InFlight--;
        if (options.MaxLeasesPerKey is { } cap && slot.InFlight == cap - 1)
        {
            lanes.Reconcile(slot, time.GetUtcNow());
            WakeWaiters();
        }
    }

    /// <summary>Wakes every caller waiting for a key (a lease came back, a key was added, enabled or reset).</summary>
    public void WakeWaiters()
    {
        var released = _released;
        _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        released.TrySetResult();
    }
}
