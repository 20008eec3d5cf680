using System.Diagnostics.CodeAnalysis;
using ApiKeys.Pool;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    /// <summary>The seed's <c>get_available_key()</c>: the next usable key, or null when none is available.</summary>
    /// <remarks>No lease is taken: report with <see cref="UpdateKeyStatus(string, bool)"/>. Prefer <see cref="TryAcquire(out KeyLease?, string?)"/>.</remarks>
    public string? GetAvailableKey(string? model = null)
    {
        model = string.IsNullOrEmpty(model) ? null : model;
        KeySlot? slot;
        KeyNotices? notices;
        lock (_gate)
        {
            slot = Pick_NeedsLock(model, Now_NeedsLock(model), out _, out _);
            notices = _pending.Take();
        }

        Publish(notices);
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
        lease = Lease(model, out _, out availableAt, out _);
        return lease is not null;
    }

    /// <summary>Takes a lease on the next usable key.</summary>
    /// <param name="model">The model the call is for.</param>
    /// <exception cref="NoAvailableKeyException">No key is available; <see cref="NoAvailableKeyException.RetryAfter"/> says for how long.</exception>
    public KeyLease Acquire(string? model = null)
    {
        var lease = Lease(model, out var reason, out var availableAt, out model);
        if (lease is null)
        {
            var now = _time.GetUtcNow();
            throw new NoAvailableKeyException(availableAt is { } at ? at > now ? at - now : TimeSpan.Zero : null, availableAt, model, reason);
        }

        return lease;
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
                released = _leases.Released;
            }

            try
            {
                return Acquire(model);
            }
            catch (NoAvailableKeyException e) when (e.Reason is NoKeyReason.Cooling or NoKeyReason.AllBusy or NoKeyReason.EnvironmentFault)
            {
                if (e.Reason == NoKeyReason.AllBusy && e.RetryAfter is null)
                {
                    await released.WaitAsync(cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var delay = e.RetryAfter is { } r && r > TimeSpan.Zero ? r : TimeSpan.FromMilliseconds(1);
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
        model = string.IsNullOrEmpty(model) ? null : model;
        DateTimeOffset? next;
        KeyNotices? notices;
        lock (_gate)
        {
            next = _lanes.NextAvailableAt(model, _time.GetUtcNow());
            notices = _pending.Take();
        }

        Publish(notices);
        return next;
    }

    private KeyLease? Lease(string? model, out NoKeyReason reason, out DateTimeOffset? availableAt, out string? normalized)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        model = normalized = string.IsNullOrEmpty(model) ? null : model;
        KeySlot? slot;
        KeyNotices? notices;
        long id = 0;
        lock (_gate)
        {
            var now = Now_NeedsLock(model);
            slot = Pick_NeedsLock(model, now, out reason, out availableAt);
            if (slot is not null)
            {
                id = _leases.Take(slot, now);
            }

            notices = _pending.Take();
        }

        Publish(notices);
        _notifier.RecordAcquisition(slot is not null);
        return slot is null ? null : _owner.Create(slot, model, id);
    }

    /// <summary>The next key for <paramref name="model"/>, counted against the request limits; none while the guard says back off.</summary>
    private KeySlot? Pick_NeedsLock(string? model, DateTimeOffset now, out NoKeyReason reason, out DateTimeOffset? availableAt)
    {
        LockOrder.Held(_gate);
        if (_guard.BackOffUntil is { } backOff && backOff > now)
        {
            reason = NoKeyReason.EnvironmentFault;
            availableAt = backOff;
            return null;
        }

        var slot = _lanes.Take(model, now, out reason, out availableAt);
        if (slot is not null && _limiter.IsActive)
        {
            _limiter.Count(slot, model, now);
        }

        return slot;
    }

    /// <summary>
    /// The time, for a pick. Reading the clock is a good part of a pick's cost, and a pick only needs it when something
    /// can expire or be counted: a cooldown scheduled, a back-off, request limits or a lease cap. Otherwise no key's
    /// availability depends on the time, and any value will do.
    /// </summary>
    private DateTimeOffset Now_NeedsLock(string? model)
    {
        LockOrder.Held(_gate);
        bool timeMatters = _lanes.HasScheduled(model) || _guard.BackOffUntil is not null || _limiter.IsActive || _options.MaxLeasesPerKey is not null;
        return timeMatters ? _clock.Now() : DateTimeOffset.MinValue;
    }

    private void Release(KeySlot slot)
    {
        lock (_gate)
        {
            if (!slot.Removed)
            {
                _leases.Release(slot);
            }
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
            // Key-shaped tokens were masked when the failure was made; this also masks the pool's keys of any shape.
            outcome = outcome.RedactedWith(Redactor);
        }

        KeyNotices? notices;
        bool transition;
        lock (_gate)
        {
            // A lease knows its slot: no lookup, unless the key was removed (and maybe added again) meanwhile.
            var slot = leaseSlot is { Removed: false } ? leaseSlot : null;
            if (slot is null && !(bySecret ? _table.TryGetBySecret(key, out slot) : _table.TryGetById(key, out slot)))
            {
                return false;
            }

            if (ReferenceEquals(slot, leaseSlot))
            {
                _leases.Release(slot);
            }

            transition = _transitions.Apply(slot, outcome, _clock.Now());
            notices = _pending.Take();
        }

        _notifier.RecordOutcome(outcome);
        Publish(notices);
        if (transition)
        {
            SignalSync();
        }

        return true;
    }
}
