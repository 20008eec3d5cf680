using ApiKeys.Pool;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    // Lanes beyond this many models fall back to checking the model on the picked key.
    private const int MaxModelLanes = 256;

    private KeySlot? Pick_NeedsLock(string? model, DateTimeOffset now, bool lease, out NoKeyReason reason, out DateTimeOffset? availableAt)
    {
        reason = NoKeyReason.Cooling;
        availableAt = null;
        if (_guard.BackOffUntil is { } backOff && backOff > now)
        {
            reason = NoKeyReason.EnvironmentFault;
            availableAt = backOff;
            return null;
        }

        DrainExpired_NeedsLock(_default, now);
        var lane = LaneFor_NeedsLock(model);
        if (lane != _default)
        {
            DrainExpired_NeedsLock(lane, now);
        }
        else if (model is null)
        {
            // No model named: prefer a key with no cooldown at all (the request may be for the model another key was
            // just limited on); any key usable for some model only when no such key is left.
            DrainExpired_NeedsLock(_clean, now);
            if (_clean.Ring.Count > 0)
            {
                lane = _clean;
            }
        }

        var ring = lane.Ring;
        int tries = lane.Model is null && model is not null ? ring.Count : 1;
        for (int i = 0; i < tries; i++)
        {
            int index = ring.Take();
            if (index < 0)
            {
                break;
            }

            var slot = _slots[index]!;
            if (lane.Model is null && model is not null && !slot.Blocks.IsUsable(now, model))
            {
                continue;
            }

            if (_options.RequestLimits.Count > 0)
            {
                CountRequest_NeedsLock(slot, model, now);
            }

            if (lease)
            {
                slot.InFlight++;
                if (_options.MaxLeasesPerKey is { } cap && slot.InFlight >= cap)
                {
                    Reconcile_NeedsLock(slot, now);
                }
            }

            return slot;
        }

        availableAt = EarliestReturn_NeedsLock(lane, now, out reason);
        return null;
    }

    /// <summary>
    /// The time, for a pick. Reading the clock is a good part of a pick's cost, and a pick only needs it when something
    /// can expire or be counted: a cooldown scheduled, a back-off, request limits or a lease cap. Otherwise no key's
    /// availability depends on the time, and any value will do.
    /// </summary>
    private DateTimeOffset Now_NeedsLock(string? model)
    {
        bool timeMatters = _default.HasScheduled || _guard.BackOffUntil is not null || _options.RequestLimits.Count > 0
            || _options.MaxLeasesPerKey is not null || (model is not null ? _lanes.Count > 0 : _clean.HasScheduled);
        return timeMatters ? Clock_NeedsLock() : DateTimeOffset.MinValue;
    }

    /// <summary>
    /// The time on the hot paths. On the system clock, reading the time once per tick of the coarse monotonic clock
    /// (a few milliseconds) is exact enough for cooldowns of seconds and costs a fraction of a full read; any other
    /// <see cref="TimeProvider"/> (a test's fake clock) is read every time.
    /// </summary>
    private DateTimeOffset Clock_NeedsLock()
    {
        if (!_systemClock)
        {
            return _time.GetUtcNow();
        }

        long tick = Environment.TickCount64;
        if (tick != _clockTick)
        {
            _clockTick = tick;
            _clockNow = _time.GetUtcNow();
        }

        return _clockNow;
    }

    private KeyLane LaneFor_NeedsLock(string? model) =>
        model is not null && _lanes.TryGetValue(model, out var lane) ? lane : _default;

    private void DrainExpired_NeedsLock(KeyLane lane, DateTimeOffset now)
    {
        while (lane.TryTakeDue(now, out int index))
        {
            var slot = index < _slots.Count ? _slots[index] : null;
            if (slot is null || slot.Removed)
            {
                continue;
            }

            bool wasIn = lane.Ring.Contains(index);
            Reconcile_NeedsLock(slot, now, restoring: true);
            // The lane without cooldowns says nothing new: the default or a model lane tells of every return.
            if (!wasIn && lane.Ring.Contains(index) && !lane.WithoutCooldowns)
            {
                Notices_NeedsLock().AddKeyChanged(new KeyEventArgs(KeyEventKind.Restored, slot.Key.Id, slot.Mask, now, model: lane.Model));
            }
        }
    }

    private DateTimeOffset? EarliestReturn_NeedsLock(KeyLane lane, DateTimeOffset now, out NoKeyReason reason)
    {
        if (_order.Count == 0)
        {
            reason = NoKeyReason.Empty;
            return null;
        }

        // Every lane schedules each of its keys at the time it comes back for that lane (a key-wide cooldown
        // included), so the lane's own queue knows the answer.
        var next = lane.NextExpiry();
        if (next is not null)
        {
            reason = NoKeyReason.Cooling;
            return next < now ? now : next;
        }

        bool busy = false;
        if (_options.MaxLeasesPerKey is not null)
        {
            foreach (var slot in _order)
            {
                if (Evaluate(slot, lane, now, out _) == SlotState.Busy)
                {
                    busy = true;
                    break;
                }
            }
        }

        reason = busy ? NoKeyReason.AllBusy : NoKeyReason.AllDisabled;
        return null;
    }

    /// <summary>Puts <paramref name="slot"/> in or out of every lane's ring as its state says, scheduling its return.</summary>
    private void Reconcile_NeedsLock(KeySlot slot, DateTimeOffset now, bool restoring = false)
    {
        foreach (var model in slot.Blocks.Models.Keys)
        {
            if (!_lanes.ContainsKey(model) && _lanes.Count < MaxModelLanes)
            {
                CreateLane_NeedsLock(model, now);
            }
        }

        ReconcileIn_NeedsLock(_default, slot, now, restoring);
        ReconcileIn_NeedsLock(_clean, slot, now, restoring);
        foreach (var lane in _lanes.Values)
        {
            ReconcileIn_NeedsLock(lane, slot, now, restoring);
        }
    }

    private void ReconcileIn_NeedsLock(KeyLane lane, KeySlot slot, DateTimeOffset now, bool restoring = false)
    {
        switch (Evaluate(slot, lane, now, out var until))
        {
            case SlotState.Usable:
                if (!lane.Ring.Contains(slot.Index))
                {
                    // A key back from a cooldown was used least recently: with LRU it goes first.
                    if (restoring && _options.Selection == KeySelection.LeastRecentlyUsed)
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
                lane.Ring.Remove(slot.Index);
                lane.Unschedule(slot.Index);
                break;
        }
    }

    private void CreateLane_NeedsLock(string model, DateTimeOffset now)
    {
        var lane = new KeyLane(model);
        _lanes[model] = lane;
        foreach (var slot in _order)
        {
            ReconcileIn_NeedsLock(lane, slot, now);
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

        return _options.MaxLeasesPerKey is { } cap && slot.InFlight >= cap ? SlotState.Busy : SlotState.Usable;
    }

    /// <summary>Sets a slot's state, marks it for the store, and moves it between lanes when its blocks changed.</summary>
    private void SetState_NeedsLock(KeySlot slot, KeyState state, KeyState before, DateTimeOffset now)
    {
        slot.State = state;
        MarkDirty_NeedsLock(slot);

        if (!before.SameBlocks(state))
        {
            Reconcile_NeedsLock(slot, now);
        }

        if (slot.Key.Project is null && !string.Equals(before.LearnedProject, state.LearnedProject, StringComparison.Ordinal))
        {
            Unindex(_byProject, before.LearnedProject, slot);
            Index(_byProject, state.LearnedProject, slot);
        }
    }

    private void MarkDirty_NeedsLock(KeySlot slot)
    {
        if (!slot.Dirty)
        {
            slot.Dirty = true;
            _dirty.Add(slot);
        }
    }

    private static void Index(Dictionary<string, List<KeySlot>> map, string? project, KeySlot slot)
    {
        if (project is null)
        {
            return;
        }

        if (!map.TryGetValue(project, out var list))
        {
            map[project] = list = [];
        }

        if (!list.Contains(slot))
        {
            list.Add(slot);
        }
    }

    private static void Unindex(Dictionary<string, List<KeySlot>> map, string? project, KeySlot slot)
    {
        if (project is not null && map.TryGetValue(project, out var list))
        {
            list.Remove(slot);
            if (list.Count == 0)
            {
                map.Remove(project);
            }
        }
    }

    private KeyNotices? _pendingNotices;

    // The usable keys with no cooldown for any model: what picks for no model prefer (see Pick_NeedsLock).
    private readonly KeyLane _clean = new(null, withoutCooldowns: true);

    private enum SlotState
    {
        Usable,
        Cooling,
        Busy,
        Out,
    }
}
