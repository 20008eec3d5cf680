namespace ApiKeys.Pool;

/// <summary>
/// The keys usable for each model, and the pick among them. The default lane holds the keys usable for some model; the
/// clean lane those with no cooldown for any model (what a pick for no model prefers); a lane per model seen in a block
/// holds the keys usable for that model. Each lane is a ring of usable keys and a queue of the times the others come back,
/// so a pick is O(1) however many keys are cooling.
/// </summary>
/// <remarks>Not thread-safe: the caller holds the pool's lock.</remarks>
internal sealed class KeyLanes(KeyTable table, ApiKeyManagerOptions options, PendingNotices notices)
{
    // Lanes beyond this many models fall back to checking the model on the picked key.
    private const int MaxModelLanes = 256;

    private readonly KeyLane _default = new(null);
    private readonly KeyLane _clean = new(null, withoutCooldowns: true);
    private readonly Dictionary<string, KeyLane> _lanes = new(StringComparer.Ordinal);

    private enum SlotState
    {
        Usable,
        Cooling,
        Busy,
        Out,
    }

    /// <summary>The keys usable for some model.</summary>
    public KeyRing Usable => _default.Ring;

    /// <summary>Whether a pick for <paramref name="model"/> depends on the time: a return is scheduled in a lane it reads.</summary>
    public bool HasScheduled(string? model) => _default.HasScheduled || (model is not null ? _lanes.Count > 0 : _clean.HasScheduled);

    /// <summary>
    /// The next usable key for <paramref name="model"/> in turn, after bringing back the keys whose cooldown has ended
    /// (announced as <see cref="KeyEventKind.Restored"/>); when there is none, why and when one comes back.
    /// </summary>
    public KeySlot? Take(string? model, DateTimeOffset now, out NoKeyReason reason, out DateTimeOffset? availableAt)
    {
        var lane = Prepare(model, now);
        var ring = lane.Ring;
        bool checkModel = lane.Model is null && model is not null;
        int tries = checkModel ? ring.Count : 1;
        for (int i = 0; i < tries; i++)
        {
            int index = ring.Take();
            if (index < 0)
            {
                break;
            }

            var slot = table.At(index)!;
            if (!checkModel || slot.Blocks.IsUsable(now, model))
            {
                reason = NoKeyReason.Cooling;
                availableAt = null;
                return slot;
            }
        }

        availableAt = EarliestReturn(lane, now, out reason);
        return null;
    }

    /// <summary>When the next key comes back for <paramref name="model"/>: <paramref name="now"/> if one is usable, null if none comes back by itself.</summary>
    public DateTimeOffset? NextAvailableAt(string? model, DateTimeOffset now)
    {
        var lane = Prepare(model, now);
        return lane.Ring.Count > 0 ? now : EarliestReturn(lane, now, out _);
    }

    /// <summary>Puts <paramref name="slot"/> in or out of every lane's ring as its state says, scheduling its return.</summary>
    /// <param name="slot">The key.</param>
    /// <param name="now">The time.</param>
    /// <param name="restoring">Whether the key comes back from a cooldown (with LRU selection it goes first).</param>
    public void Reconcile(KeySlot slot, DateTimeOffset now, bool restoring = false)
    {
        foreach (var model in slot.Blocks.Models.Keys)
        {
            if (!_lanes.ContainsKey(model) && _lanes.Count < MaxModelLanes)
            {
                CreateLane(model, now);
            }
        }

        ReconcileIn(_default, slot, now, restoring);
        ReconcileIn(_clean, slot, now, restoring);
        foreach (var lane in _lanes.Values)
        {
            ReconcileIn(lane, slot, now, restoring);
        }
    }

    /// <summary>Takes a removed key out of every lane.</summary>
    public void Remove(KeySlot slot)
    {
        RemoveFrom(_default, slot);
        RemoveFrom(_clean, slot);
        foreach (var lane in _lanes.Values)
        {
            RemoveFrom(lane, slot);
        }
    }

    /// <summary>The lane a pick for <paramref name="model"/> reads, with the returns that are due brought back.</summary>
    private KeyLane Prepare(string? model, DateTimeOffset now)
    {
        DrainExpired(_default, now);
        var lane = model is not null && _lanes.TryGetValue(model, out var modelLane) ? modelLane : _default;
        if (lane != _default)
        {
            DrainExpired(lane, now);
        }
        else if (model is null)
        {
            // No model named: prefer a key with no cooldown at all (the request may be for the model another key was
            // just limited on); any key usable for some model only when no such key is left.
            DrainExpired(_clean, now);
            if (_clean.Ring.Count > 0)
            {
                lane = _clean;
            }
        }

        return lane;
    }

    private void DrainExpired(KeyLane lane, DateTimeOffset now)
    {
        while (lane.TryTakeDue(now, out int index))
        {
            if (table.At(index) is not { Removed: false } slot)
            {
                continue;
            }

            bool wasIn = lane.Ring.Contains(index);
            Reconcile(slot, now, restoring: true);

            // The lane without cooldowns says nothing new: the default or a model lane tells of every return.
            if (!wasIn && lane.Ring.Contains(index) && !lane.WithoutCooldowns)
            {
                notices.Batch.AddKeyChanged(new KeyEventArgs(KeyEventKind.Restored, slot.Key.Id, slot.Mask, now, model: lane.Model));
            }
        }
    }

    private DateTimeOffset? EarliestReturn(KeyLane lane, DateTimeOffset now, out NoKeyReason reason)
    {
        if (table.Count == 0)
        {
            reason = NoKeyReason.Empty;
            return null;
        }

        // Every lane schedules each of its keys at the time it comes back for that lane (a key-wide cooldown
        // included), so the lane's own queue knows the answer.
        if (lane.NextExpiry() is { } next)
        {
            reason = NoKeyReason.Cooling;
            return next < now ? now : next;
        }

        bool busy = options.MaxLeasesPerKey is not null && table.Order.Exists(slot => Evaluate(slot, lane, now, out _) == SlotState.Busy);
        reason = busy ? NoKeyReason.AllBusy : NoKeyReason.AllDisabled;
        return null;
    }

    private void ReconcileIn(KeyLane lane, KeySlot slot, DateTimeOffset now, bool restoring = false)
    {
        switch (Evaluate(slot, lane, now, out var until))
        {
            case SlotState.Usable:
                if (!lane.Ring.Contains(slot.Index))
                {
                    // A key back from a cooldown was used least recently: with LRU it goes first.
                    if (restoring && options.Selection == KeySelection.LeastRecentlyUsed)
                    {
                        lane.Ring.AddNext(slot.Index);
                    }
                    else
                    {
                        lane.Ring.AddLast(slot.Index);
                    }
                }

                lane.Unschedule(slot.Index);
                break;
            case SlotState.Cooling:
                lane.Ring.Remove(slot.Index);
                lane.Schedule(slot.Index, until!.Value);
                break;
            default:
                RemoveFrom(lane, slot);
                break;
        }
    }

    private static void RemoveFrom(KeyLane lane, KeySlot slot)
    {
        lane.Ring.Remove(slot.Index);
        lane.Unschedule(slot.Index);
    }

    private void CreateLane(string model, DateTimeOffset now)
    {
        var lane = new KeyLane(model);
        _lanes[model] = lane;
        foreach (var slot in table.Order)
        {
            ReconcileIn(lane, slot, now);
        }
    }

    private SlotState Evaluate(KeySlot slot, KeyLane lane, DateTimeOffset now, out DateTimeOffset? until)
    {
        until = null;
        var state = slot.Blocks;
        if (slot.Removed || slot.Key.Disabled || state.DisabledKind is not null)
        {
            return SlotState.Out;
        }

        if (state.BlockedUntil is { } keyWide && keyWide > now)
        {
            until = keyWide;
        }

        if (lane.Model is not null && state.Models.TryGetValue(lane.Model, out var block) && block.IsActive(now))
        {
            if (block.Until is not { } modelUntil)
            {
                return SlotState.Out;
            }

            until = until is { } u && u > modelUntil ? u : modelUntil;
        }

        if (lane.WithoutCooldowns && state.Models.Count > 0)
        {
            foreach (var (_, modelBlock) in state.Models)
            {
                // Blocks until revalidation are not cooldowns: the key may serve every other model for good.
                if (modelBlock.Until is { } modelUntil && modelUntil > now && (until is null || modelUntil > until))
                {
                    until = modelUntil;
                }
            }
        }

        if (until is not null)
        {
            return SlotState.Cooling;
        }

        return options.MaxLeasesPerKey is { } cap && slot.InFlight >= cap ? SlotState.Busy : SlotState.Usable;
    }
}
