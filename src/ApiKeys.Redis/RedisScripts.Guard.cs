namespace ApiKeys.Redis;

internal static partial class RedisScripts
{
    /// <summary>
    /// The environment-fault guard, shared by every process of the pool (the rule of <c>EnvironmentFaultGuard</c>, in one
    /// place in Redis): records a failure that would take a key out and says whether the failure is the environment's.
    /// KEYS: guard hash, the kind's log, ring. ARGV: key prefix, kind, window ms, min keys, entry
    /// (<c>op\nid\nproject\nat ms\nexcused state json</c>), the entry it replaces ('' none: a write retried on a newer state
    /// records its failure again, once), the clock (ms, or -1 for Redis's TIME).
    /// Returns {0, now} (recorded, not tripped) | {1, now, until} (tripped already: excuse this failure, record nothing) |
    /// {2, now, until, entries...} (this failure trips it: excuse it and the entries, which are cleared).
    /// The keys that failed were usable just before: they count with the keys still in the ring.
    /// </summary>
    public static readonly RedisScript Guard = new(Now + """
        local kind = ARGV[2]
        local tripped = tonumber(redis.call('HGET', KEYS[1], 't:' .. kind) or '0')
        if tripped > now then return {1, now, tripped} end
        local window = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. (now - window))
        if ARGV[6] ~= '' then redis.call('ZREM', KEYS[2], ARGV[6]) end
        redis.call('ZADD', KEYS[2], now, ARGV[5])
        redis.call('PEXPIRE', KEYS[2], window * 2)
        local entries = redis.call('ZRANGE', KEYS[2], 0, -1)
        local minkeys = tonumber(ARGV[4])
        if #entries < minkeys then return {0, now} end
        local seen, projects, nkeys, nprojects, outside = {}, {}, 0, 0, 0
        for _, e in ipairs(entries) do
          local id, project = string.match(e, '^[^\n]*\n([^\n]*)\n([^\n]*)\n')
          if not seen[id] then
            seen[id] = true
            nkeys = nkeys + 1
            if not projects[project] then
              projects[project] = true
              nprojects = nprojects + 1
            end
            if redis.call('HGET', ARGV[1] .. id, 'where') ~= 'r' then outside = outside + 1 end
          end
        end
        local usable = redis.call('LLEN', KEYS[3]) + outside
        local needed = math.max(minkeys, math.floor((usable + 1) / 2))
        if nkeys < needed or nprojects < 2 then return {0, now} end
        local untilms = now + window
        redis.call('HSET', KEYS[1], 't:' .. kind, untilms, 'backoff', untilms)
        redis.call('DEL', KEYS[2])
        local answer = {2, now, untilms}
        for _, e in ipairs(entries) do answer[#answer + 1] = e end
        return answer
        """);
}
