using ApiKeys.Storage;

namespace ApiKeys.Pool;

/// <summary>The keys whose state changed since the store last took them: what the next sync writes.</summary>
/// <remarks>Not thread-safe: the caller holds the pool's lock.</remarks>
internal sealed class DirtySlots
{
    private readonly List<KeySlot> _slots = [];

    public void Mark(KeySlot slot)
    {
        if (!slot.Dirty && !slot.Removed)
        {
            slot.Dirty = true;
            _slots.Add(slot);
        }
    }

    public void Unmark(KeySlot slot)
    {
        if (slot.Dirty)
        {
            slot.Dirty = false;
            _slots.Remove(slot);
        }
    }

    /// <summary>Takes every change to write, noting in <paramref name="sent"/> the state each was written from.</summary>
    public List<KeyStateChange> Take(Dictionary<KeySlot, KeyState> sent)
    {
        var changes = new List<KeyStateChange>(_slots.Count);
        foreach (var slot in _slots)
        {
            slot.Dirty = false;
            if (slot.Removed)
            {
                continue;
            }

            changes.Add(new KeyStateChange(slot.Key.Id, slot.State, slot.Baseline));
            sent[slot] = slot.State;
        }

        _slots.Clear();
        return changes;
    }
}
