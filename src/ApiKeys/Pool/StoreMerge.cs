using ApiKeys.Keys;
using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys.Pool;

/// <summary>
/// What the store holds, merged into the pool: the key set (in the store's order; keys already held keep their slot and
/// state), and each key's state merged three ways with this process's unsaved changes (<see cref="KeyStatePolicy.Merge"/>:
/// counters add up, the newer side wins for the rest). A new epoch in the store (the keys were rotated by another process)
/// means every state starts over from the store's.
/// </summary>
/// <remarks>Not thread-safe: the caller holds the pool's lock.</remarks>
internal sealed class StoreMerge(KeyTable table, KeyLanes lanes, DirtySlots dirty, KeyPoolNotifier notifier)
{
    private string _epoch = "";

    /// <summary>Adopts keys and states from the store, merging them with this process's unsaved changes.</summary>
    /// <param name="snapshot">What the store holds.</param>
    /// <param name="now">The time.</param>
    /// <param name="sent">The states this sync wrote (each key's baseline for the merge), or null at load and after key changes.</param>
    public void Adopt(KeyStoreSnapshot snapshot, DateTimeOffset now, Dictionary<KeySlot, KeyState>? sent)
    {
        bool newEpoch = _epoch.Length > 0 && !string.Equals(_epoch, snapshot.Epoch, StringComparison.Ordinal);
        _epoch = snapshot.Epoch;
        if (snapshot.Keys is not null)
        {
            AdoptKeys(snapshot.Keys, snapshot.States, now);
        }

        foreach (var slot in table.Order)
        {
            snapshot.States.TryGetValue(slot.Key.Id, out var disk);
            if (Merged(slot, disk, newEpoch, sent) is { } merged && !ReferenceEquals(merged, slot.State))
            {
                var before = slot.State;
                slot.State = merged;
                if (!before.SameBlocks(merged))
                {
                    lanes.Reconcile(slot, now);
                }

                if (slot.Key.Project is null)
                {
                    table.MoveProject(slot, before.LearnedProject, merged.LearnedProject);
                }
            }
        }
    }

    /// <summary>Makes the pool's key set <paramref name="keys"/> (in that order), keeping the state of keys it already had.</summary>
    /// <param name="keys">The key set.</param>
    /// <param name="states">States for keys new to the pool, if known.</param>
    /// <param name="now">The time.</param>
    /// <param name="clearStates">Whether every state starts over (a rotation applied in memory only; on disk a new epoch says so).</param>
    public void AdoptKeys(IReadOnlyList<ApiKey> keys, IReadOnlyDictionary<string, KeyState>? states, DateTimeOffset now, bool clearStates = false)
    {
        var keep = new HashSet<string>(keys.Select(k => k.Id), StringComparer.Ordinal);
        foreach (var slot in table.Order.ToArray())
        {
            if (!keep.Contains(slot.Key.Id))
            {
                Remove(slot);
            }
        }

        table.Order.Clear();
        bool secretsChanged = false;
        foreach (var key in keys)
        {
            if (table.TryGetById(key.Id, out var slot))
            {
                Keep(slot, key, now, clearStates);
            }
            else
            {
                KeyState? state = null;
                states?.TryGetValue(key.Id, out state);
                slot = table.Add(key, state);
                lanes.Reconcile(slot, now);
                secretsChanged = true;
            }

            table.Order.Add(slot);
        }

        if (secretsChanged || table.SecretCount != table.Count)
        {
            notifier.Redactor = new SecretRedactor(table.Order.Select(s => s.Key.Secret));
        }
    }

    /// <summary>The state <paramref name="slot"/> should have after the store's <paramref name="disk"/>; null: leave it as it is.</summary>
    private KeyState? Merged(KeySlot slot, KeyState? disk, bool newEpoch, Dictionary<KeySlot, KeyState>? sent)
    {
        if (newEpoch)
        {
            slot.Baseline = disk;
            dirty.Unmark(slot);
            return disk ?? KeyState.Empty;
        }

        if (sent is not null && sent.TryGetValue(slot, out var sentState))
        {
            slot.Baseline = disk ?? sentState;
            return KeyStatePolicy.Merge(disk, slot.State, sentState);
        }

        if (disk is null)
        {
            return null;
        }

        var merged = KeyStatePolicy.Merge(disk, slot.State, slot.Baseline);
        slot.Baseline = disk;
        return merged;
    }

    /// <summary>A key the pool already holds, in its new version (label, project, disabled by hand).</summary>
    private void Keep(KeySlot slot, ApiKey key, DateTimeOffset now, bool clearStates)
    {
        if (!slot.Key.Equals(key))
        {
            bool disabledChanged = slot.Key.Disabled != key.Disabled;
            table.Update(slot, key);
            if (disabledChanged)
            {
                lanes.Reconcile(slot, now);
            }
        }

        if (clearStates)
        {
            // A rotation kept in memory (its write failed): every state starts over.
            slot.State = KeyState.Empty;
            slot.Baseline = null;
            lanes.Reconcile(slot, now);
        }
    }

    private void Remove(KeySlot slot)
    {
        dirty.Unmark(slot);
        table.Remove(slot);
        lanes.Remove(slot);
    }
}
