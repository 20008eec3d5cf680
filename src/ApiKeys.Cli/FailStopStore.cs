using ApiKeys.Keys;
using ApiKeys.Storage;

namespace ApiKeys.Cli;

/// <summary>
/// The tool's store: after the first failed write of a run, every later write fails the same way. The pool keeps a
/// change it could not write in memory and tries again at <see cref="ApiKeyManager.Flush"/> and when disposed; a
/// command that has told the user "not saved, nothing was changed on disk" must not see that change written behind
/// its back a moment later (the lock freed, space made). Reads go through as they are.
/// </summary>
internal sealed class FailStopStore(IKeyStore inner) : IKeyStore
{
    private KeyStoreException? _failure;

    /// <summary>The first failed write of this run, if any.</summary>
    public KeyStoreException? Failure => Volatile.Read(ref _failure);

    public string Location => inner.Location;

    public bool HoldsKeys => inner.HoldsKeys;

    public KeyStoreSnapshot Load() => inner.Load();

    public KeyStoreSnapshot UpdateKeys(Func<IReadOnlyList<ApiKey>, KeysUpdate?> update) => Write(() => inner.UpdateKeys(update));

    public KeyStoreSnapshot? SyncStates(IReadOnlyList<KeyStateChange> changes) => Write(() => inner.SyncStates(changes));

    public void Dispose() => inner.Dispose();

    private T Write<T>(Func<T> write)
    {
        if (Failure is { } failure)
        {
            throw failure;
        }

        try
        {
            return write();
        }
        catch (KeyStoreException e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
            throw;
        }
    }
}
