using ApiKeys.Keys;
using ApiKeys.Storage;

namespace ApiKeys.Pool;

/// <summary>
/// The pool's conversation with its store: state changes written (merged with other processes') and what others wrote
/// adopted; key changes on disk before the call returns, or kept in memory and retried when the write fails.
/// </summary>
/// <remarks>
/// Thread-safe. One conversation at a time, under its own lock, its result applied under the pool's lock before the next
/// begins (two key changes, or a key change and a sync, must not apply their snapshots out of order, or merge counters
/// twice). Lock order: this lock, then the pool's; never the other way. Nothing here runs user code: what a conversation
/// calls for (store errors, events) is returned as notices, to publish once both locks are released.
/// </remarks>
internal sealed class StoreSync(Lock gate, IKeyStore store, KeyTable table, StoreMerge merge, DirtySlots dirty, LeaseTable leases,
    PendingNotices pending, TimeProvider time)
{
    private readonly Lock _io = new();
    private readonly List<Func<IReadOnlyList<ApiKey>, KeysUpdate?>> _pendingKeyChanges = [];
    private bool _lastSyncFailed;

    /// <summary>Whether this thread is in a conversation with the store.</summary>
    public bool HoldsLock => _io.IsHeldByCurrentThread;

    /// <summary>Writes the pending state changes (and key changes whose write failed before) and adopts what the store holds.</summary>
    /// <param name="reportEveryFailure">Whether a failed write is reported even when the last one failed too (a caller waits for this one).</param>
    /// <returns>What to publish, and the write's error if it failed (the changes stay pending).</returns>
    public (KeyNotices? Notices, KeyStoreException? Error) Sync(bool reportEveryFailure)
    {
        LockOrder.NotHeld(gate, "the store's lock");
        lock (_io)
        {
            var notices = new KeyNotices();
            var sent = new Dictionary<KeySlot, KeyState>();
            List<KeyStateChange> changes;
            List<Func<IReadOnlyList<ApiKey>, KeysUpdate?>> pendingKeys;
            lock (gate)
            {
                changes = dirty.Take(sent);
                pendingKeys = [.. _pendingKeyChanges];
            }

            KeyStoreSnapshot? keysWritten = null;
            try
            {
                keysWritten = WriteKeyChanges(pendingKeys);
                var snapshot = WithKeys(store.SyncStates(changes), keysWritten);
                if (_lastSyncFailed)
                {
                    _lastSyncFailed = false;
                    notices.AddStoreSaveRecovered(store.Location);
                }

                Adopt(snapshot, sent, notices);
                return (notices, null);
            }
            catch (KeyStoreException e)
            {
                Failed(e, keysWritten, sent, notices, reportEveryFailure);
                return (notices, e);
            }
        }
    }

    /// <summary>Applies a key change to the store (on disk before returning) and to the pool.</summary>
    /// <returns>The save error when the change is kept in memory and retried later (else null), and what to publish.</returns>
    /// <exception cref="KeyStoreException">The store cannot be read; nothing was changed.</exception>
    public (string? SaveError, KeyNotices? Notices) ChangeKeys(Func<IReadOnlyList<ApiKey>, KeysUpdate?> change)
    {
        LockOrder.NotHeld(gate, "the store's lock");
        lock (_io)
        {
            KeyStoreSnapshot snapshot;
            try
            {
                snapshot = store.UpdateKeys(change);
            }
            catch (KeyStoreException e) when (e.Kind is KeyStoreErrorKind.PermissionDenied or KeyStoreErrorKind.Io)
            {
                // Keep the pool working: apply the change in memory and retry the write later.
                var notices = new KeyNotices();
                notices.AddStoreSaveFailed("keys", e.Reason, e.Path ?? store.Location);
                KeepInMemory(change, notices);
                return ($"Failed to save keys: {e.Reason} ({e.Path ?? store.Location})", notices);
            }

            lock (gate)
            {
                merge.Adopt(snapshot, time.GetUtcNow(), sent: null);
                leases.WakeWaiters();
                return (null, pending.Take());
            }
        }
    }

    /// <summary>Writes the key changes whose write failed before; returns what the last one read, if any.</summary>
    private KeyStoreSnapshot? WriteKeyChanges(List<Func<IReadOnlyList<ApiKey>, KeysUpdate?>> pendingKeys)
    {
        KeyStoreSnapshot? keysWritten = null;
        foreach (var change in pendingKeys)
        {
            keysWritten = store.UpdateKeys(change);
            lock (gate)
            {
                _pendingKeyChanges.Remove(change);
            }
        }

        return keysWritten;
    }

    /// <summary>The retried key writes read the keys file (with any other process's changes): the snapshot to adopt carries it.</summary>
    private static KeyStoreSnapshot? WithKeys(KeyStoreSnapshot? snapshot, KeyStoreSnapshot? keysWritten) =>
        keysWritten is null ? snapshot
            : snapshot is null ? keysWritten
            : snapshot.Keys is null ? snapshot with { Keys = keysWritten.Keys }
            : snapshot;

    private void Failed(KeyStoreException e, KeyStoreSnapshot? keysWritten, Dictionary<KeySlot, KeyState> sent, KeyNotices notices, bool reportEveryFailure)
    {
        if (e.CommittedSnapshot is { } written)
        {
            // Written but not flushed to disk: every reader sees it, so it is adopted like a write (counted once); the
            // store flushes the directory again before its next write. Still a failed write to report.
            Adopt(WithKeys(written, keysWritten), sent, notices);
            notices.AddStoreSaveFailed("key states", e.Reason, e.Path ?? store.Location);
            _lastSyncFailed = true;
            return;
        }

        lock (gate)
        {
            foreach (var slot in sent.Keys)
            {
                dirty.Mark(slot);
            }
        }

        // A store that keeps failing is reported once, until it works again.
        if (!_lastSyncFailed || reportEveryFailure)
        {
            notices.AddStoreSaveFailed("key states", e.Reason, e.Path ?? store.Location);
        }

        _lastSyncFailed = true;
    }

    /// <summary>Adopts what a sync read or wrote; callers waiting for a key look again (another process may have added, enabled or reset one).</summary>
    private void Adopt(KeyStoreSnapshot? snapshot, Dictionary<KeySlot, KeyState> sent, KeyNotices notices)
    {
        if (snapshot is null)
        {
            return;
        }

        lock (gate)
        {
            merge.Adopt(snapshot, time.GetUtcNow(), sent);
            leases.WakeWaiters();
            if (pending.Take() is { } gathered)
            {
                notices.MoveFrom(gathered);
            }
        }
    }

    private void KeepInMemory(Func<IReadOnlyList<ApiKey>, KeysUpdate?> change, KeyNotices notices)
    {
        List<ApiKey> current;
        lock (gate)
        {
            current = [.. table.Order.Select(s => s.Key)];
        }

        var update = change(current);
        lock (gate)
        {
            _pendingKeyChanges.Add(change);
            if (update is not null)
            {
                merge.AdoptKeys(update.Keys, null, time.GetUtcNow(), update.ClearStates);
            }

            if (pending.Take() is { } gathered)
            {
                notices.MoveFrom(gathered);
            }
        }
    }
}
