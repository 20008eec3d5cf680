using ApiKeys.Pool;
using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>
    /// Read-modify-write of one key's state: <paramref name="change"/> runs on the state this process last saw, and the
    /// write script applies it only if Redis still has that version; on a conflict the script returns the current state
    /// and Redis's clock, and <paramref name="change"/> runs again on them. One round trip when this process's view is fresh.
    /// </summary>
    internal RedisWriteStatus Change(string id, Func<KeyState, DateTimeOffset, KeyState> change, long? leaseId, string? operationId = null)
    {
        var write = new StateWrite(this, id, change, leaseId, operationId);
        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var args = write.NextArgs();
            var result = Eval(RedisScripts.Write, write.Keys, args, "report", TimeoutRetries, length: 5);
            if (write.Take(result) is { } status)
            {
                return status;
            }
        }

        throw write.TooManyConflicts();
    }

    /// <summary>
    /// A lease's success, counted in the key's hash when the key's state is plain (<see cref="RedisScripts.Success"/>: no new
    /// state, no JSON either way), waited for; null when it is not plain, and the caller writes a new state.
    /// </summary>
    private RedisWriteStatus? SucceedPlain(string id, long leaseId)
    {
        var args = new RedisValue[] { RedisPoolKeys.LeaseMember(leaseId, id), ClockArg() };
        var r = (RedisResult[])Eval(RedisScripts.Success, [_names.Leases, _names.Late, _names.Key(id)], args, "report", TimeoutRetries, length: 2)!;
        long nowMs = (long)r[0];
        ObserveClock(nowMs);
        return TakeSuccess(id, leaseId, (long)r[1], nowMs);
    }

    /// <summary>One compare-and-set of a key's state in progress: its arguments, and what each answer of the script means.</summary>
    private sealed class StateWrite
    {
        private readonly RedisKeyPool _pool;
        private readonly string _id;
        private readonly Func<KeyState, DateTimeOffset, KeyState> _change;
        private readonly long? _leaseId;
        private readonly string? _member;
        private readonly long? _markerTtl;
        private KeyState _before;
        private KeyState _after = KeyState.Empty;
        private long _version;
        private long _folded;
        private DateTimeOffset _now;
        private bool _reregistered;

        public StateWrite(RedisKeyPool pool, string id, Func<KeyState, DateTimeOffset, KeyState> change, long? leaseId, string? operationId)
        {
            (_pool, _id, _change, _leaseId) = (pool, id, change, leaseId);
            _member = leaseId is { } l ? RedisPoolKeys.LeaseMember(l, id) : null;
            var seen = pool._cache.TryGetValue(id, out var cached) ? cached : null;
            _before = seen?.State ?? KeyState.Empty;
            _version = seen?.Version ?? -1;
            _folded = seen?.Folded ?? 0;
            _now = pool.RedisNow();
            Keys = [pool._names.Key(id), pool._names.Ring, pool._names.Cool, pool._names.Leases, pool._names.Key(id), pool._names.Late, pool._names.Guard];
            // A write with no lease still says what it applies to, so the retry after a client timeout (the script may
            // have run) cannot apply it twice.
            if (leaseId is null)
            {
                Keys[4] = pool._names.Operation(operationId ?? Guid.NewGuid().ToString("N"));
                _markerTtl = (long)pool._redisOptions.LeaseTimeout.TotalMilliseconds;
            }
        }

        public RedisKey[] Keys { get; }

        public RedisValue[] NextArgs()
        {
            _after = _change(_before, _now);
            return RedisStateCodec.WriteArgs(_id, _version, _before, _after, _member, _markerTtl, _folded, _pool.ClockArg());
        }

        /// <summary>What the script answered: the write's status, or null to write again (a conflict, or the pool registered again).</summary>
        public RedisWriteStatus? Take(RedisResult result)
        {
            var r = (RedisResult[])result!;
            long code = (long)r[0];
            long nowMs = (long)r[3];
            _pool.ObserveClock(nowMs);
            switch (code)
            {
                case 1:
                    _pool._cache[_id] = new RedisVersionedState(_after, (long)r[2]);
                    _pool.WatchCooldowns(_id, _after);
                    if ((long)r[4] == 1)
                    {
                        // The lease had timed out (an acquire reclaimed it): its outcome counts all the same, as in one process.
                        Log.LateReport(_pool._logger, _id, _leaseId ?? 0, _pool._redisOptions.LeaseTimeout);
                    }

                    return RedisWriteStatus.Applied;
                case 2:
                    // Applied before (a retry after a client timeout may land here): this process's view is unknown now.
                    _pool._cache.TryRemove(_id, out _);
                    return RedisWriteStatus.Duplicate;
                case 3 when !_reregistered:
                    Log.Reregistering(_pool._logger, _pool._redisOptions.PoolName);
                    _pool.Register();
                    (_reregistered, _before, _version, _folded) = (true, KeyState.Empty, -1, 0);
                    break;
                case 3:
                    throw new RedisKeyPoolUnavailableException($"Key {_id} of pool '{_pool._redisOptions.PoolName}' disappeared from Redis right after registration.");
                default:
                    _folded = (long)r[5];
                    _before = RedisStateCodec.Fold(RedisStateCodec.Parse(_id, (string?)r[1]), _folded, (long)r[6]);
                    _version = (long)r[2];
                    _pool._cache[_id] = new RedisVersionedState(_before, _version, _folded);
                    _pool.WatchCooldowns(_id, _before);
                    break;
            }

            _now = RedisStateCodec.Time(nowMs);
            return null;
        }

        public RedisKeyPoolUnavailableException TooManyConflicts() =>
            new($"Key {_id} of pool '{_pool._redisOptions.PoolName}': {MaxWriteAttempts} conflicting writes in a row.");
    }
}
