using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Storage;

/// <summary>A store in memory: nothing survives the process. For keys given directly without a state directory, and for tests.</summary>
public sealed class MemoryKeyStore : IKeyStore
{
    private readonly Lock _gate = new();
    private readonly bool _holdsKeys;
    private List<ApiKey> _keys;
    private Dictionary<string, KeyState> _states = new(StringComparer.Ordinal);
    private string _epoch = Guid.NewGuid().ToString("N");

    /// <summary>Creates a store holding <paramref name="keys"/>.</summary>
    public MemoryKeyStore(IEnumerable<ApiKey>? keys = null, bool holdsKeys = true)
    {
        _keys = [.. keys ?? []];
        _holdsKeys = holdsKeys;
    }

    /// <inheritdoc />
    public string Location => "memory";

    /// <inheritdoc />
    public bool HoldsKeys => _holdsKeys;

    /// <inheritdoc />
    public KeyStoreSnapshot Load()
    {
        lock (_gate)
        {
            return new([.. _keys], new Dictionary<string, KeyState>(_states, StringComparer.Ordinal), _epoch);
        }
    }

    /// <inheritdoc />
    public KeyStoreSnapshot UpdateKeys(Func<IReadOnlyList<ApiKey>, KeysUpdate?> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            var change = update([.. _keys]);
            if (change is not null)
            {
                var before = _keys.Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
                _keys = [.. change.Keys];
                if (change.ClearStates)
                {
                    _states = new(StringComparer.Ordinal);
                    _epoch = Guid.NewGuid().ToString("N");
                }
                else
                {
                    // A removed key's state goes with it; an added key starts with none (as in the JSON store).
                    var after = _keys.Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
                    foreach (var id in _states.Keys.Where(id => before.Contains(id) != after.Contains(id)).ToList())
                    {
                        _states.Remove(id);
                    }
                }
            }

            return new([.. _keys], new Dictionary<string, KeyState>(_states, StringComparer.Ordinal), _epoch);
        }
    }

    /// <inheritdoc />
    public KeyStoreSnapshot? SyncStates(IReadOnlyList<KeyStateChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.Count == 0)
        {
            return null;
        }

        lock (_gate)
        {
            var ids = _holdsKeys ? _keys.Select(k => k.Id).ToHashSet(StringComparer.Ordinal) : null;
            foreach (var change in changes)
            {
                if (ids is not null && !ids.Contains(change.KeyId))
                {
                    continue;
                }

                _states.TryGetValue(change.KeyId, out var disk);
                _states[change.KeyId] = KeyStatePolicy.Merge(disk, change.State, change.Baseline);
            }

            return new(null, new Dictionary<string, KeyState>(_states, StringComparer.Ordinal), _epoch);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
