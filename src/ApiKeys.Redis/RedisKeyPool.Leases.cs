using System.Diagnostics.CodeAnalysis;
using ApiKeys.Pool;
using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>Takes a lease on the next usable key (round-robin across every process of the pool).</summary>
    /// <param name="lease">The lease; report its outcome once.</param>
    /// <param name="availableAt">When none is available: when the next key comes back, or null when none comes back by itself.</param>
    /// <param name="model">The model the call is for: keys blocked for it are skipped.</param>
    /// <exception cref="RedisKeyPoolUnavailableException">Redis is unreachable and <see cref="RedisKeyPoolOptions.FallbackToLocal"/> is off.</exception>
    public bool TryAcquire([NotNullWhen(true)] out KeyLease? lease, out DateTimeOffset? availableAt, string? model = null)
    {
        model = string.IsNullOrEmpty(model) ? null : model;
        var pick = Pick(model);
        lease = pick.Lease;
        availableAt = pick.AvailableAt;
        return lease is not null;
    }

    /// <summary>Takes a lease on the next usable key.</summary>
    /// <param name="model">The model the call is for.</param>
    /// <exception cref="NoAvailableKeyException">No key is available; <see cref="NoAvailableKeyException.RetryAfter"/> says for how long.</exception>
    /// <exception cref="RedisKeyPoolUnavailableException">Redis is unreachable and <see cref="RedisKeyPoolOptions.FallbackToLocal"/> is off.</exception>
    public KeyLease Acquire(string? model = null)
    {
        model = string.IsNullOrEmpty(model) ? null : model;
        var pick = Pick(model);
        return pick.Lease ?? throw NoKey(pick, model);
    }

    /// <summary>Takes a lease, waiting for the next key to come back when all are cooling or busy.</summary>
    /// <param name="model">The model the call is for.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    /// <exception cref="NoAvailableKeyException">Every key is disabled or the pool is empty: nothing comes back by waiting.</exception>
    /// <exception cref="RedisKeyPoolUnavailableException">Redis is unreachable and <see cref="RedisKeyPoolOptions.FallbackToLocal"/> is off.</exception>
    public async Task<KeyLease> AcquireAsync(string? model = null, CancellationToken cancellationToken = default)
    {
        model = string.IsNullOrEmpty(model) ? null : model;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pick = await PickAsync(model).ConfigureAwait(false);
            if (pick.Lease is not null)
            {
                return pick.Lease;
            }

            if (pick.Reason is not (NoKeyReason.Cooling or NoKeyReason.AllBusy))
            {
                throw NoKey(pick, model);
            }

            // Another process may free a key at any moment: poll at least every BusyPollInterval.
            var wait = _redisOptions.BusyPollInterval;
            if (pick.Reason == NoKeyReason.Cooling && pick.AvailableAt is { } at && at - pick.Now < wait)
            {
                wait = at - pick.Now > TimeSpan.Zero ? at - pick.Now : TimeSpan.FromMilliseconds(1);
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void ReportLease(KeyLease lease, KeyOutcome outcome)
    {
        if (TrySendSuccess(lease, outcome))
        {
            return;
        }

        try
        {
            Apply(lease.KeyId, outcome, lease.LeaseId);
        }
        catch (Exception e) when (e is RedisServerException or RedisKeyPoolUnavailableException)
        {
            LoseReport(lease, outcome, e);
        }
    }

    private void ReleaseLease(KeyLease lease)
    {
        try
        {
            Eval(RedisScripts.Release, [_names.Key(lease.KeyId), _names.Leases], [RedisPoolKeys.LeaseMember(lease.LeaseId, lease.KeyId)], "release", TimeoutRetries);
        }
        catch (RedisKeyPoolUnavailableException e)
        {
            Log.ReportLost(_logger, lease.KeyId, lease.LeaseId, e.Reason);
        }
    }

    private RedisPick Pick(string? model)
    {
        if (_heldCount == 0)
        {
            return Empty();
        }

        ReconcileIfNeeded();
        for (int attempt = 0; ; attempt++)
        {
            RedisResult[] result;
            try
            {
                result = EvalAcquire(model);
            }
            catch (RedisKeyPoolUnavailableException) when (_redisOptions.FallbackToLocal)
            {
                return PickLocal(model);
            }

            var pick = Parse(result, model);
            if (pick is not null)
            {
                // The local fallback counts its own picks.
                _notifier.RecordAcquisition(pick.Lease is not null);
                return pick;
            }

            // Redis lost the pool (a restart without persistence, a failover, a flush): register again and retry.
            if (attempt > 2)
            {
                throw new RedisKeyPoolUnavailableException($"Key pool '{_redisOptions.PoolName}' keeps disappearing from Redis right after registration.");
            }

            Log.Reregistering(_logger, _redisOptions.PoolName);
            Register();
        }
    }

    private async Task<RedisPick> PickAsync(string? model)
    {
        if (_heldCount == 0)
        {
            return Empty();
        }

        ReconcileIfNeeded();
        for (int attempt = 0; ; attempt++)
        {
            RedisResult[] result;
            try
            {
                result = await EvalAcquireAsync(model).ConfigureAwait(false);
            }
            catch (RedisKeyPoolUnavailableException) when (_redisOptions.FallbackToLocal)
            {
                return PickLocal(model);
            }

            var pick = Parse(result, model);
            if (pick is not null)
            {
                // The local fallback counts its own picks.
                _notifier.RecordAcquisition(pick.Lease is not null);
                return pick;
            }

            if (attempt > 2)
            {
                throw new RedisKeyPoolUnavailableException($"Key pool '{_redisOptions.PoolName}' keeps disappearing from Redis right after registration.");
            }

            Log.Reregistering(_logger, _redisOptions.PoolName);
            Register();
        }
    }

    private RedisKey[] AcquireKeys() => [_names.Ring, _names.Cool, _names.Leases, _held, _names.Sequence, _names.Late, _names.Guard];

    /// <summary>
    /// Turns the acquire script's answer to a pick into a lease or a reason; null when the pool must be registered again.
    /// </summary>
    private RedisPick? Parse(RedisResult[] r, string? model)
    {
        long code = (long)r[0];
        long nowMs = (long)r[3];
        ObserveClock(nowMs);
        var now = RedisStateCodec.Time(nowMs);
        if (code < 0)
        {
            return null;
        }

        AnnounceRestored(now);
        if (code == 2)
        {
            // The environment-fault guard says back off (some process saw half the keys fail alike).
            return new RedisPick(null, RedisStateCodec.Time((long)r[2]), NoKeyReason.EnvironmentFault, now);
        }

        if (code == 1)
        {
            string id = (string)r[1]!;
            long leaseId = (long)r[2];
            if (!_slotById.TryGetValue(id, out int slot))
            {
                // Not one of ours (the held set says otherwise only if it was tampered with): give it back.
                Eval(RedisScripts.Release, [_names.Key(id), _names.Leases], [RedisPoolKeys.LeaseMember(leaseId, id)], "release");
                throw new InvalidOperationException($"Redis handed out key {id}, which this process does not hold.");
            }

            var key = _keys[slot];
            if (r.Length > 4)
            {
                LimitsReached(id, model, r, r.Length);
            }

            return new RedisPick(_leases.Create(key, model, leaseId), null, NoKeyReason.Cooling, now);
        }

        bool busy = (long)r[1] != 0;
        long earliest = (long)r[2];
        if (busy)
        {
            // Some key is usable but at its cap: busy, whether or not others are cooling (waiting for a lease to end is shorter).
            return new RedisPick(null, earliest > 0 ? RedisStateCodec.Time(earliest) : null, NoKeyReason.AllBusy, now);
        }

        if (earliest > 0)
        {
            return new RedisPick(null, RedisStateCodec.Time(earliest), NoKeyReason.Cooling, now);
        }

        return new RedisPick(null, null, NoKeyReason.AllDisabled, now);
    }

    private RedisPick Empty()
    {
        _notifier.RecordAcquisition(false);
        return new(null, null, _keys.Count == 0 ? NoKeyReason.Empty : NoKeyReason.AllDisabled, _time.GetUtcNow());
    }

    private static NoAvailableKeyException NoKey(RedisPick pick, string? model)
    {
        TimeSpan? retryAfter = pick.AvailableAt is { } at ? (at > pick.Now ? at - pick.Now : TimeSpan.Zero) : null;
        return new NoAvailableKeyException(retryAfter, pick.AvailableAt, model, pick.Reason);
    }
}
