namespace ApiKeys.Redis;

internal static partial class RedisScripts
{
    // A lease's success on a key whose state a success only counts (plain, set by every write): counted in the key's hash
    // ('s' successes not yet in the json, 'lu' the last one's time) with no new state and no version, so it never conflicts
    // with a writer. Returns 0 when the key's state is not plain (nothing done: the caller writes a new state), 1 counted,
    // 2 when the lease was already reported, 3 when the lease had timed out (counted all the same).
    private const string Succeed = """
        local function succeed(k, member, leases, late, now)
          local f = redis.call('HMGET', k, 'plain', 'inflight', 's')
          if f[1] ~= '1' then return 0 end
          local code = 1
          local inflight = tonumber(f[2] or '0')
          if redis.call('ZREM', leases, member) == 1 then
            if inflight > 0 then inflight = inflight - 1 end
          elseif redis.call('ZREM', late, member) == 1 then
            code = 3
          else
            return 2
          end
          -- One write for the three fields (the script runs alone: nothing changes them between the read and this).
          redis.call('HSET', k, 'inflight', inflight, 's', tonumber(f[3] or '0') + 1, 'lu', now)
          return code
        end

        """;

    /// <summary>
    /// Leases' successes on keys whose state a success only counts (<c>plain</c>), one or more in one call (successes queued
    /// while an earlier call was on its way go together). KEYS: leases, late leases, then each success's key hash. ARGV: each
    /// success's lease member, the clock (ms, or -1 for Redis's TIME). Returns {now, code per success}: 0 when the key's state
    /// is not plain (nothing done: the caller writes a new state), 1 counted, 2 when the lease was already reported, 3 when
    /// the lease had timed out (counted all the same).
    /// </summary>
    public static readonly RedisScript Success = new(Now + Succeed + """
        local answer = {now}
        for i = 1, #ARGV - 1 do
          answer[i + 1] = succeed(KEYS[i + 2], ARGV[i], KEYS[1], KEYS[2], now)
        end
        return answer
        """);
}
