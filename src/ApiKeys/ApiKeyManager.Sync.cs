using System.Runtime.ExceptionServices;
using ApiKeys.Pool;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    /// <summary>The periodic sync, on its own thread (null for a memory store, which has nothing to write).</summary>
    private readonly StoreSyncLoop? _syncLoop;

    /// <summary>Asks the loop for a prompt write (a key's availability changed).</summary>
    private void SignalSync() => _syncLoop?.Signal();

    /// <summary>What the loop does with an error a sync throws that is not the store's (those are reported by the sync).</summary>
    private void SyncLoopFailed(Exception e)
    {
        var notices = new KeyNotices();
        notices.AddStoreSaveFailed("key states", e.Message, _store.Location);
        Publish(notices);
    }

    /// <summary>Writes the pending state changes (merged with other processes'), adopts what others wrote, then publishes.</summary>
    private void Sync(bool throwOnError)
    {
        var (notices, error) = _sync.Sync(reportEveryFailure: throwOnError);
        Publish(notices);
        if (throwOnError && error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }
}
