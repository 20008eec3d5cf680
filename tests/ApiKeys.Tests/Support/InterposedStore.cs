using ApiKeys.Keys;
using ApiKeys.Storage;

namespace ApiKeys.Tests.Support;

/// <summary>
/// A real store with a hook that runs while a states write is in progress (after the pool took its changes, before the
/// write returns): what another thread of the process would do at that moment, made deterministic.
/// </summary>
public sealed class InterposedStore(IKeyStore inner) : IKeyStore
{
    private Action? _duringSync;

    public string Location => inner.Location;

    public bool HoldsKeys => inner.HoldsKeys;

    /// <summary>Runs <paramref name="action"/> once, in the next states write.</summary>
    public void OnNextSync(Action action) => _duringSync = action;

    public KeyStoreSnapshot Load() => inner.Load();

    public KeyStoreSnapshot UpdateKeys(Func<IReadOnlyList<ApiKey>, KeysUpdate?> update) => inner.UpdateKeys(update);

    public KeyStoreSnapshot? SyncStates(IReadOnlyList<KeyStateChange> changes)
    {
        Interlocked.Exchange(ref _duringSync, null)?.Invoke();
        return inner.SyncStates(changes);
    }

    public void Dispose() => inner.Dispose();
}
