using ApiKeys.Pool;
using ApiKeys.Storage;
using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    private static readonly TimeSpan ReconcileInterval = TimeSpan.FromSeconds(1);

    // One merge at a time: an acquire skips a merge in progress, a read or a reconnection waits for it (and merges after it
    // what it left, or retries what it failed to merge).
    private readonly Lock _reconcileGate = new();
    private ApiKeyManager? _local;
    private Dictionary<string, KeyState>? _localBaseline;
    private int _fallbackActive;
    private long _lastReconcile;

    /// <summary>The in-process pool used while Redis is unreachable, seeded with the last states this process saw in Redis.</summary>
    private ApiKeyManager Local()
    {
        lock (_gate)
        {
            if (_local is null)
            {
                var store = new MemoryKeyStore(_keys);
                store.SyncStates([.. _keys.Select(k => new KeyStateChange(k.Id, LastSeen(k.Id), null))]);
                _local = new ApiKeyManager(store, _options, logger: null, _time);
                _localBaseline = _local.GetStatuses().ToDictionary(s => s.Id, s => s.State, StringComparer.Ordinal);
            }

            return _local;
        }
    }

    private KeyState LastSeen(string id) =>
        _cache.TryGetValue(id, out var seen) ? seen.State : _seedStates.GetValueOrDefault(id) ?? KeyState.Empty;

    private RedisPick PickLocal(string? model)
    {
        if (Interlocked.Exchange(ref _fallbackActive, 1) == 0)
        {
            Log.FallingBack(_logger, _redisOptions.PoolName);
        }

        var now = _time.GetUtcNow();
        try
        {
            return new RedisPick(Local().Acquire(model), null, NoKeyReason.Cooling, now);
        }
        catch (NoAvailableKeyException e)
        {
            return new RedisPick(null, e.AvailableAt, e.Reason, now);
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (Volatile.Read(ref _fallbackActive) != 0)
        {
            _ = Task.Run(() => Reconcile(wait: true));
        }
    }

    /// <summary>
    /// Before a read: merges what the local fallback counted and Redis has not yet (outcomes served locally during an outage,
    /// or reported locally after it), so the read counts every outcome this process saw. Cheap when there is nothing to merge.
    /// </summary>
    private void ReconcileBeforeRead()
    {
        if (Volatile.Read(ref _local) is not null)
        {
            Reconcile(wait: true);
        }
    }

    private void ReconcileIfNeeded()
    {
        if (Volatile.Read(ref _local) is null || !_redis.IsConnected)
        {
            return;
        }

        // Leases taken locally may report after Redis is back: keep merging local changes (cheap when there are none).
        long last = Interlocked.Read(ref _lastReconcile);
        if (Volatile.Read(ref _fallbackActive) != 0 || _time.GetElapsedTime(last) >= ReconcileInterval)
        {
            Reconcile(wait: false);
        }
    }

    /// <summary>
    /// Merges what this process learned locally into Redis: counters add up exactly (what was added locally since the last
    /// merge), and for cooldowns, disables and levels the newer side wins (<see cref="KeyStatePolicy.Merge"/>). A merge that
    /// fails leaves the fallback on and the baseline as it was: the next acquire, read or reconnection merges it all again.
    /// </summary>
    /// <param name="wait">Wait for a merge in progress, then merge (a read, a reconnection); else skip when one is running (an acquire).</param>
    internal void Reconcile(bool wait)
    {
        if (wait)
        {
            _reconcileGate.Enter();
        }
        else if (!_reconcileGate.TryEnter())
        {
            return;
        }

        try
        {
            ApiKeyManager? local;
            Dictionary<string, KeyState> baseline;
            lock (_gate)
            {
                local = _local;
                baseline = _localBaseline ?? [];
            }

            if (local is null || !_redis.IsConnected)
            {
                return;
            }

            Interlocked.Exchange(ref _lastReconcile, _time.GetTimestamp());
            bool wasFallback = Volatile.Read(ref _fallbackActive) != 0;
            if (wasFallback)
            {
                // Redis may have restarted meanwhile; registering is idempotent.
                Register();
            }

            var (merged, next) = MergeLocal(local, baseline);
            lock (_gate)
            {
                _localBaseline = next;
            }

            Interlocked.Exchange(ref _fallbackActive, 0);
            if (wasFallback || merged > 0)
            {
                Log.Reconciled(_logger, _redisOptions.PoolName, merged);
            }
        }
        catch (RedisKeyPoolUnavailableException e)
        {
            Log.RedisUnavailable(_logger, _redisOptions.PoolName, "reconcile", e.Reason);
        }
        finally
        {
            _reconcileGate.Exit();
        }
    }

    /// <summary>Writes every key state that changed locally since <paramref name="baseline"/> into Redis; returns how many, and the new baseline.</summary>
    private (int Merged, Dictionary<string, KeyState> Next) MergeLocal(ApiKeyManager local, Dictionary<string, KeyState> baseline)
    {
        int merged = 0;
        var next = new Dictionary<string, KeyState>(StringComparer.Ordinal);
        foreach (var status in local.GetStatuses())
        {
            var mine = status.State;
            var from = baseline.GetValueOrDefault(status.Id);
            next[status.Id] = mine;
            if (ReferenceEquals(mine, from))
            {
                continue;
            }

            Change(status.Id, (shared, _) => KeyStatePolicy.Merge(shared, mine, from), leaseId: null, operationId: Guid.NewGuid().ToString("N"));
            merged++;
        }

        return (merged, next);
    }
}
