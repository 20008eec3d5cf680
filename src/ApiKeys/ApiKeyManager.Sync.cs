using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _syncSignal = new(0, 1);
    private readonly Lock _storeIo = new();
    private readonly List<Func<IReadOnlyList<ApiKey>, KeysUpdate?>> _pendingKeyChanges = [];
    private readonly Task? _syncLoop;
    private bool _lastSyncFailed;

    private void SignalSync()
    {
        if (_syncSignal.CurrentCount == 0)
        {
            try
            {
                _syncSignal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
            catch (ObjectDisposedException)
            {
                // Disposed meanwhile.
            }
        }
    }

    private async Task SyncLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var tick = Task.Delay(_options.SyncInterval, _time, token);
                var signal = _syncSignal.WaitAsync(token);
                await Task.WhenAny(tick, signal).ConfigureAwait(false);
                if (token.IsCancellationRequested)
                {
                    break;
                }

                if (signal.IsCompletedSuccessfully)
                {
                    // Coalesce a burst of transitions into one write.
                    await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(20), _time, token)).ConfigureAwait(false);
                }

                Sync(throwOnError: false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.StoreSaveFailed(_logger, "key states", Redactor.Redact(e.Message), _store.Location);
            }
        }
    }

    /// <summary>Writes the pending state changes (merged with other processes') and adopts what others wrote.</summary>
    private void Sync(bool throwOnError)
    {
        lock (_storeIo)
        {
            var changes = new List<KeyStateChange>();
            var sent = new Dictionary<KeySlot, KeyState>();
            List<Func<IReadOnlyList<ApiKey>, KeysUpdate?>> pendingKeys;
            lock (_gate)
            {
                foreach (var slot in _dirty)
                {
                    slot.Dirty = false;
                    if (slot.Removed)
                    {
                        continue;
                    }

                    changes.Add(new KeyStateChange(slot.Key.Id, slot.State, slot.Baseline));
                    sent[slot] = slot.State;
                }

                _dirty.Clear();
                pendingKeys = [.. _pendingKeyChanges];
            }

            KeyStoreSnapshot? snapshot;
            KeyStoreSnapshot? keysWritten = null;
            try
            {
                foreach (var change in pendingKeys)
                {
                    keysWritten = _store.UpdateKeys(change);
                    lock (_gate)
                    {
                        _pendingKeyChanges.Remove(change);
                    }
                }

                snapshot = _store.SyncStates(changes);
                if (keysWritten is not null && snapshot is not null && snapshot.Keys is null)
                {
                    // The retried key writes read the keys file (with any other process's changes): adopt it.
                    snapshot = snapshot with { Keys = keysWritten.Keys };
                }
                else if (keysWritten is not null && snapshot is null)
                {
                    snapshot = keysWritten;
                }
                if (_lastSyncFailed)
                {
                    _lastSyncFailed = false;
                    Log.StoreSaveRecovered(_logger, _store.Location);
                }
            }
            catch (KeyStoreException e) when (e.CommittedSnapshot is { } written)
            {
                // Written but not flushed to disk: every reader sees it, so it is adopted like a write (counted once);
                // the store flushes the directory again before its next write. Still a failed write to report.
                Adopt(keysWritten is not null && written.Keys is null ? written with { Keys = keysWritten.Keys } : written, sent);
                Log.StoreSaveFailed(_logger, "key states", e.Reason, e.Path ?? _store.Location);
                _lastSyncFailed = true;
                if (throwOnError)
                {
                    throw;
                }

                return;
            }
            catch (KeyStoreException e)
            {
                lock (_gate)
                {
                    foreach (var slot in sent.Keys)
                    {
                        if (!slot.Dirty && !slot.Removed)
                        {
                            slot.Dirty = true;
                            _dirty.Add(slot);
                        }
                    }
                }

                if (!_lastSyncFailed || throwOnError)
                {
                    Log.StoreSaveFailed(_logger, "key states", e.Reason, e.Path ?? _store.Location);
                }

                _lastSyncFailed = true;
                if (throwOnError)
                {
                    throw;
                }

                return;
            }

            if (snapshot is not null)
            {
                Adopt(snapshot, sent);
            }
        }
    }

    /// <summary>Adopts what a sync read or wrote, and publishes what it changed.</summary>
    private void Adopt(KeyStoreSnapshot snapshot, Dictionary<KeySlot, KeyState> sent)
    {
        KeyNotices? notices;
        lock (_gate)
        {
            AdoptSnapshot_NeedsLock(snapshot, _time.GetUtcNow(), sent);
            notices = TakeNotices_NeedsLock();

            // Another process may have added, enabled or reset a key: callers waiting for one look again.
            WakeWaiters_NeedsLock();
        }

        _notifier.Publish(notices);
    }

    /// <summary>Adopts keys and states from the store, merging them with this process's unsaved changes.</summary>
    /// <param name="snapshot">What the store holds.</param>
    /// <param name="now">The time.</param>
    /// <param name="events">The states sent in this sync (their baseline), or null at load.</param>
    private void AdoptSnapshot_NeedsLock(KeyStoreSnapshot snapshot, DateTimeOffset now, Dictionary<KeySlot, KeyState>? events)
    {
        bool newEpoch = _epoch.Length > 0 && !string.Equals(_epoch, snapshot.Epoch, StringComparison.Ordinal);
        _epoch = snapshot.Epoch;
        if (snapshot.Keys is not null)
        {
            AdoptKeys_NeedsLock(snapshot.Keys, snapshot.States, now);
        }

        foreach (var slot in _order)
        {
            snapshot.States.TryGetValue(slot.Key.Id, out var disk);
            KeyState merged;
            if (newEpoch)
            {
                merged = disk ?? KeyState.Empty;
                slot.Baseline = disk;
                if (slot.Dirty)
                {
                    slot.Dirty = false;
                    _dirty.Remove(slot);
                }
            }
            else if (events is not null && events.TryGetValue(slot, out var sentState))
            {
                merged = KeyStatePolicy.Merge(disk, slot.State, sentState);
                slot.Baseline = disk ?? sentState;
            }
            else if (disk is null)
            {
                continue;
            }
            else
            {
                merged = KeyStatePolicy.Merge(disk, slot.State, slot.Baseline);
                slot.Baseline = disk;
            }

            if (!ReferenceEquals(merged, slot.State))
            {
                var before = slot.State;
                slot.State = merged;
                if (!before.SameBlocks(merged))
                {
                    Reconcile_NeedsLock(slot, now);
                }

                if (slot.Key.Project is null && !string.Equals(before.LearnedProject, merged.LearnedProject, StringComparison.Ordinal))
                {
                    Unindex(_byProject, before.LearnedProject, slot);
                    Index(_byProject, merged.LearnedProject, slot);
                }
            }
        }
    }

    /// <summary>Makes the pool's key set <paramref name="keys"/> (in that order), keeping the state of keys it already had.</summary>
    /// <param name="keys">The key set.</param>
    /// <param name="states">States for keys new to the pool, if known.</param>
    /// <param name="now">The time.</param>
    /// <param name="clearStates">Whether every state starts over (a rotation applied in memory only; on disk a new epoch says so).</param>
    private void AdoptKeys_NeedsLock(IReadOnlyList<ApiKey> keys, IReadOnlyDictionary<string, KeyState>? states, DateTimeOffset now, bool clearStates = false)
    {
        var keep = new HashSet<string>(keys.Select(k => k.Id), StringComparer.Ordinal);
        foreach (var slot in _order.ToArray())
        {
            if (!keep.Contains(slot.Key.Id))
            {
                RemoveSlot_NeedsLock(slot);
            }
        }

        _order.Clear();
        bool secretsChanged = false;
        foreach (var key in keys)
        {
            if (_byId.TryGetValue(key.Id, out var slot))
            {
                if (!slot.Key.Equals(key))
                {
                    var old = slot.Key;
                    slot.Key = key;
                    if (old.Project != key.Project)
                    {
                        Unindex(_byProject, old.Project ?? slot.State.LearnedProject, slot);
                        Index(_byProject, slot.Project, slot);
                    }

                    if (old.Disabled != key.Disabled)
                    {
                        Reconcile_NeedsLock(slot, now);
                    }
                }

                if (clearStates)
                {
                    // A rotation kept in memory (its write failed): every state starts over.
                    slot.State = KeyState.Empty;
                    slot.Baseline = null;
                    Reconcile_NeedsLock(slot, now);
                }
            }
            else
            {
                KeyState? state = null;
                states?.TryGetValue(key.Id, out state);
                int index = _freeSlots.Count > 0 ? _freeSlots.Pop() : _slots.Count;
                slot = new KeySlot(index, key, state ?? KeyState.Empty, state);
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
                Index(_byProject, slot.Project, slot);
                secretsChanged = true;
                Reconcile_NeedsLock(slot, now);
            }

            _order.Add(slot);
        }

        if (secretsChanged || _bySecret.Count != _order.Count)
        {
            _notifier.Redactor = new SecretRedactor(_order.Select(s => s.Key.Secret));
        }
    }

    private void RemoveSlot_NeedsLock(KeySlot slot)
    {
        slot.Removed = true;
        _default.Ring.Remove(slot.Index);
        _default.Unschedule(slot.Index);
        _clean.Ring.Remove(slot.Index);
        _clean.Unschedule(slot.Index);
        foreach (var lane in _lanes.Values)
        {
            lane.Ring.Remove(slot.Index);
            lane.Unschedule(slot.Index);
        }

        _byId.Remove(slot.Key.Id);
        _bySecret.Remove(slot.Key.Secret);
        Unindex(_byProject, slot.Project, slot);
        if (slot.Dirty)
        {
            _dirty.Remove(slot);
            slot.Dirty = false;
        }

        _slots[slot.Index] = null;
        _freeSlots.Push(slot.Index);
    }

    private KeyNotices Notices_NeedsLock() => _pendingNotices ??= new KeyNotices();

    /// <summary>The notices gathered so far, to publish once the lock is released; null when there are none.</summary>
    private KeyNotices? TakeNotices_NeedsLock()
    {
        var notices = _pendingNotices;
        if (notices is not { Count: > 0 })
        {
            return null;
        }

        _pendingNotices = null;
        return notices;
    }
}
