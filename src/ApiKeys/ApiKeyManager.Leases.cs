using System.Diagnostics.CodeAnalysis;
using ApiKeys.Pool;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The seed's <c>get_available_key()</c>: the next usable key, or null when none is available.</summary>
    /// <remarks>No lease is taken: report with <see cref="UpdateKeyStatus(string, bool)"/>. Prefer <see cref="TryAcquire(out KeyLease?, string?)"/>.</remarks>
    public string? GetAvailableKey(string? model = null)
    {
        KeySlot? slot;
        KeyNotices? notices;
        lock (_gate)
        {
            slot = Pick_NeedsLock(string.IsNullOrEmpty(model) ? null : model, Now_NeedsLock(model), lease: false, out _, out _);
            notices = TakeNotices_NeedsLock();
        }

        _notifier.Publish(notices);
        _notifier.RecordAcquisition(slot is not null);
        return slot?.Key.Secret;
    }

    /// <summary>The seed's <c>update_key_status(key, success)</c>: a success, or a failure of unknown kind (a strike).</summary>
    /// <param name="key">The secret, as <see cref="GetAvailableKey"/> returned it. Unknown keys (removed meanwhile) are ignored.</param>
    /// <param name="success">Whether the call succeeded.</param>
    public void UpdateKeyStatus(string key, bool success) =>
        UpdateKeyStatus(key, success ? null : KeyFailure.Unknown());

    /// <summary>Reports an outcome for <paramref name="key"/>: null for a success, else the failure.</summary>
    /// <param name="key">The secret. Unknown keys (removed meanwhile) are ignored.</param>
    /// <param name="failure">The failure, or null for a success.</param>
    /// <param name="model">The model the call was for.</param>
    public void UpdateKeyStatus(string key, KeyFailure? failure, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        var outcome = failure is null ? KeyOutcome.Success(model) : KeyOutcome.Failed(failure, model);
        Apply(key, bySecret: true, outcome);
    }

    /// <summary>Reports an outcome for the key with id <paramref name="keyId"/>.</summary>
    /// <returns>False when no key has that id.</returns>
    public bool Report(string keyId, KeyOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return Apply(keyId, bySecret: false, outcome);
    }

    /// <summary>Takes a lease on the next usable key.</summary>
    /// <param name="lease">The lease; report its outcome once.</param>
    /// <param name="model">The model the call is for: keys cooling for that model are skipped.</param>
    /// <returns>False when no key is available; <see cref="NextAvailableAt"/> tells when one will be.</returns>
    public bool TryAcquire([NotNullWhen(true)] out KeyLease? lease, string? model = null) =>
        TryAcquire(out lease, out _, model);

    /// <summary>Takes a lease on the next usable key; when none is available, says when one will be.</summary>
    /// <param name="lease">The lease; report its outcome once.</param>
    /// <param name="availableAt">When none is available: when the next key comes back, or null when none comes back by itself.</param>
    /// <param name="model">The model the call is for.</param>
    public bool TryAcquire([NotNullWhen(true)] out KeyLease? lease, out DateTimeOffset? availableAt, string? model = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        model = string.IsNullOrEmpty(model) ? null : model;
        KeySlot? slot;
        KeyNotices? notices;
        long id = 0;
        lock (_gate)
        {
            slot = Pick_NeedsLock(model, Now_NeedsLock(model), lease: true, out _, out availableAt);
            if (slot is not null)
            {
                id = ++_leaseIds;
            }

            notices = TakeNotices_NeedsLock();
        }

        _notifier.Publish(notices);
        _notifier.RecordAcquisition(slot is not null);
        lease = slot is null ? null : _leases.Create(slot, model, id);
        return lease is not null;
    }

    /// <summary>Takes a lease on the next usable key.</summary>
    /// <param name="model">The model the call is for.</param>
    /// <exception cref="NoAvailableKeyException">No key is available; <see cref="NoAvailableKeyException.RetryAfter"/> says for how long.</exception>
    public KeyLease Acquire(string? model = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        model = string.IsNullOrEmpty(model) ? null : model;
        KeySlot? slot;
        NoKeyReason reason;
        DateTimeOffset? availableAt;
        DateTimeOffset now;
        KeyNotices? notices;
        long id = 0;
        lock (_gate)
        {
            now = Now_NeedsLock(model);
            slot = Pick_NeedsLock(model, now, lease: true, out reason, out availableAt);
            if (slot is not null)
            {
                id = ++_leaseIds;
            }

            notices = TakeNotices_NeedsLock();
        }

        _notifier.Publish(notices);
        _notifier.RecordAcquisition(slot is not null);
        if (slot is null)
        {
            now = _time.GetUtcNow();
            throw new NoAvailableKeyException(availableAt is { } at ? at > now ? at - now : TimeSpan.Zero : null, availableAt, model, reason);
        }

        return _leases.Create(slot, model, id);
    }

    /// <summary>Takes a lease, waiting for the next key to come back when all are cooling or busy.</summary>
    /// <param name="model">The model the call is for.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="NoAvailableKeyException">Every key is disabled or the pool is empty: nothing comes back by waiting.</exception>
    public async Task<KeyLease> AcquireAsync(string? model = null, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            Task released;
            lock (_gate)
            {
                released = _released.Task;
            }

            try
            {
                return Acquire(model);
            }
            catch (NoAvailableKeyException e) when (e.Reason is NoKeyReason.Cooling or NoKeyReason.AllBusy or NoKeyReason.EnvironmentFault)
            {
                var delay = e.RetryAfter is { } r && r > TimeSpan.Zero ? r : TimeSpan.FromMilliseconds(1);
                if (e.Reason == NoKeyReason.AllBusy && e.RetryAfter is null)
                {
                    await released.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                using var stopDelay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delayed = Task.Delay(delay, _time, stopDelay.Token);
                await Task.WhenAny(delayed, released).ConfigureAwait(false);
                await stopDelay.CancelAsync().ConfigureAwait(false); // no timer left behind when a release woke us
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    /// <summary>When the next key comes back for <paramref name="model"/>: now if one is usable, null if none comes back by itself.</summary>
    public DateTimeOffset? NextAvailableAt(string? model = null)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            DrainExpired_NeedsLock(LaneFor_NeedsLock(model), now);
            var lane = LaneFor_NeedsLock(model);
            return lane.Ring.Count > 0 ? now : EarliestReturn_NeedsLock(lane, now, out _);
        }
    }

    private void Release(KeySlot slot)
    {
        lock (_gate)
        {
            if (!slot.Removed)
            {
                ReleaseLease_NeedsLock(slot);
            }
        }
    }

    private void ReleaseLease_NeedsLock(KeySlot slot)
    {
        if (slot.InFlight <= 0)
        {
            return;
        }

        slot.InFlight--;
        if (_options.MaxLeasesPerKey is { } cap && slot.InFlight == cap - 1)
        {
            Reconcile_NeedsLock(slot, _time.GetUtcNow());
            var released = _released;
            _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
            released.TrySetResult();
        }
    }

    /// <param name="key">The secret or the id.</param>
    /// <param name="bySecret">Whether <paramref name="key"/> is the secret.</param>
    /// <param name="outcome">What happened.</param>
    /// <param name="leaseSlot">For a lease's report: the slot it was handed out of, whose lease count it releases.</param>
    private bool Apply(string key, bool bySecret, KeyOutcome outcome, KeySlot? leaseSlot = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (outcome.Failure is { Message: not null })
        {
            outcome = outcome.RedactedWith(Redactor);
        }

        KeyNotices? notices = null;
        bool signal = false;
        lock (_gate)
        {
            // A lease knows its slot: no lookup, unless the key was removed (and maybe added again) meanwhile.
            var slot = leaseSlot is { Removed: false } ? leaseSlot : null;
            if (slot is null && !(bySecret ? _bySecret : _byId).TryGetValue(key, out slot))
            {
                return false;
            }

            if (ReferenceEquals(slot, leaseSlot))
            {
                ReleaseLease_NeedsLock(slot);
            }

            var now = Clock_NeedsLock();
            signal = ApplyOutcome_NeedsLock(slot, outcome, now);
            notices = TakeNotices_NeedsLock();
        }

        _notifier.RecordOutcome(outcome);
        _notifier.Publish(notices);

        if (signal)
        {
            SignalSync();
        }

        return true;
    }
}
