using ApiKeys.Keys;

namespace ApiKeys.Pool;

/// <summary>
/// The pool's keys: a slot per key, numbered (a removed key's number is reused, so lanes index arrays by it), found by id,
/// by secret and by project, in the store's order.
/// </summary>
/// <remarks>Not thread-safe: the caller holds the pool's lock.</remarks>
internal sealed class KeyTable
{
    private readonly List<KeySlot?> _slots = [];
    private readonly Stack<int> _free = new();
    private readonly List<KeySlot> _order = [];
    private readonly Dictionary<string, KeySlot> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeySlot> _bySecret = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<KeySlot>> _byProject = new(StringComparer.Ordinal);

    /// <summary>The keys, in the store's order.</summary>
    public List<KeySlot> Order => _order;

    public int Count => _order.Count;

    /// <summary>How many secrets are indexed (differs from <see cref="Count"/> while the key set is being replaced).</summary>
    public int SecretCount => _bySecret.Count;

    /// <summary>The slot numbered <paramref name="index"/>, or null when it is free.</summary>
    public KeySlot? At(int index) => index < _slots.Count ? _slots[index] : null;

    public bool TryGetById(string id, out KeySlot slot) => _byId.TryGetValue(id, out slot!);

    public bool TryGetBySecret(string secret, out KeySlot slot) => _bySecret.TryGetValue(secret, out slot!);

    public bool ContainsId(string id) => _byId.ContainsKey(id);

    /// <summary>The keys of <paramref name="project"/> (configured or learned), or null.</summary>
    public List<KeySlot>? Project(string project) => _byProject.GetValueOrDefault(project);

    /// <summary>A new slot for <paramref name="key"/>, indexed (not yet in <see cref="Order"/>).</summary>
    public KeySlot Add(ApiKey key, KeyState? state)
    {
        int index = _free.Count > 0 ? _free.Pop() : _slots.Count;
        var slot = new KeySlot(index, key, state ?? KeyState.Empty, state);
        if (index == _slots.Count)
        {
            _slots.Add(slot);
        }
        else
        {
            _slots[index] = slot;
        }

        _byId[key.Id] = slot;
        _bySecret[key.Secret] = slot;
        Index(slot.Project, slot);
        return slot;
    }

    /// <summary>Takes <paramref name="slot"/> out of every index and frees its number; leases still holding it see <see cref="KeySlot.Removed"/>.</summary>
    public void Remove(KeySlot slot)
    {
        slot.Removed = true;
        _byId.Remove(slot.Key.Id);
        _bySecret.Remove(slot.Key.Secret);
        Unindex(slot.Project, slot);
        _slots[slot.Index] = null;
        _free.Push(slot.Index);
    }

    /// <summary>Moves <paramref name="slot"/> from one project to another in the project index.</summary>
    public void MoveProject(KeySlot slot, string? from, string? to)
    {
        if (!string.Equals(from, to, StringComparison.Ordinal))
        {
            Unindex(from, slot);
            Index(to, slot);
        }
    }

    /// <summary>Gives <paramref name="slot"/> a new version of its key (label, project, disabled by hand), keeping the project index right.</summary>
    public void Update(KeySlot slot, ApiKey key)
    {
        var old = slot.Key;
        slot.Key = key;
        if (old.Project != key.Project)
        {
            Unindex(old.Project ?? slot.State.LearnedProject, slot);
            Index(slot.Project, slot);
        }
    }

    private void Index(string? project, KeySlot slot)
    {
        if (project is null)
        {
            return;
        }

        if (!_byProject.TryGetValue(project, out var list))
        {
            _byProject[project] = list = [];
        }

        if (!list.Contains(slot))
        {
            list.Add(slot);
        }
    }

    private void Unindex(string? project, KeySlot slot)
    {
        if (project is not null && _byProject.TryGetValue(project, out var list))
        {
            list.Remove(slot);
            if (list.Count == 0)
            {
                _byProject.Remove(project);
            }
        }
    }
}
