namespace ApiKeys.Redis;

internal static partial class RedisScripts
{
    /// <summary>
    /// A lease's success on a key whose state a success only counts (<c>plain</c>, set by every write): counted in the key's
    /// hash (<c>s</c> successes not yet in the json, <c>lu</c> the last one's time) with no new state and no version, so it
    /// never conflicts with a writer. KEYS: key hash, leases, late leases. ARGV: lease member, the clock (ms, or -1 for Redis's TIME).
    /// Returns {0, now} when the key's state is not plain (nothing done: the caller writes a new state) | {1, now} |
    /// {2, now} when the lease was already reported | {3, now} when the lease had timed out (counted all the same).
    /// </summary>
    public static readonly RedisScript Success = new(Now + """
        local k = KEYS[1]
        if redis.call('HGET', k, 'plain') ~= '1' then return {0, now} end
        local code = 1
        if redis.call('ZREM', KEYS[2], ARGV[1]) == 1 then
          if tonumber(redis.call('HGET', k, 'inflight') or '0') > 0 then redis.call('HINCRBY', k, 'inflight', -1) end
        elseif redis.call('ZREM', KEYS[3], ARGV[1]) == 1 then
          code = 3
        else
          return {2, now}
        end
        redis.call('HINCRBY', k, 's', 1)
        redis.call('HSET', k, 'lu', now)
        return {code, now}
        """);
}
