namespace ApiKeys.Redis;

/// <summary>
/// The Lua scripts. They only place keys (ring, cooling set, per-model fields), count leases and compare versions: the
/// rules themselves are <see cref="Pool.KeyStatePolicy"/>, applied in C#. Every script reads Redis's own clock (<c>TIME</c>,
/// unix milliseconds), so cooldowns end at the same instant for every process whatever their clocks say.
/// </summary>
/// <remarks>
/// Scripts build the per-key hash names from the pool's prefix (the hash tag keeps them in the caller's slot, so a
/// Redis Cluster runs them on one node). They run by SHA1 and are sent whole only when the server does not know them (<see cref="RedisScript"/>), so a restart or
/// <c>SCRIPT FLUSH</c> cannot make one unknown.
/// </remarks>
internal static partial class RedisScripts
{
    internal const string Now = """
        local now = tonumber(ARGV[#ARGV])
        if now < 0 then
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end

        """;

    // Moves a key to where its state says it belongs: 'r' the ring, 'c' the cooling set, 'd' neither (disabled). A key
    // added to the cooling set lowers the guard hash's 'cdue' (when the acquire next looks at that set) to its end.
    private const string Cooling = """
        local function cooling(guard, untilms)
          local c = redis.call('HGET', guard, 'cdue')
          if c and tonumber(c) > untilms then redis.call('HSET', guard, 'cdue', untilms) end
        end

        """;

    private const string Place = Cooling + """
        local function place(k, id, untilms, disabled, ring, cool, now, guard)
          local target = 'r'
          if disabled == '1' then target = 'd' elseif untilms > now then target = 'c' end
          local where = redis.call('HGET', k, 'where')
          if target == 'c' then
            redis.call('ZADD', cool, untilms, id)
            cooling(guard, untilms)
          end
          if where ~= target then
            if where == 'r' then redis.call('LREM', ring, 0, id)
            elseif where == 'c' then redis.call('ZREM', cool, id) end
            if target == 'r' then redis.call('RPUSH', ring, id) end
            redis.call('HSET', k, 'where', target)
          end
        end

        """;

    /// <summary>
    /// Compare-and-set of one key's state, with the report of a lease (counted once: the lease's entry goes with the first report).
    /// KEYS: key hash, ring, cool, leases, operation marker, late leases, guard. ARGV: id, expected version ('' unknown), json, until ms
    /// (0 none), disabled (0/1), lease member ('' none), operation marker ttl ms ('' none), the last model cooldown's end ms
    /// (0 none), the successes counted outside the json that this json includes (taken off 's'), plain (1: a success only
    /// counts, see <see cref="Success"/>), n models to delete, the models to delete, then (model, until ms or -1) pairs, then the clock (ms, or -1 for Redis's TIME).
    /// Returns {1, nil, version, now, late (1: the lease had timed out; counted all the same)} | {0, json, version, now, 0, s, lu}
    /// on a version conflict (nothing changed) | {2, nil, 0, now, 0} when the lease or operation was already applied |
    /// {3, nil, 0, now, 0} when the key is not registered.
    /// </summary>
    public static readonly RedisScript Write = new(Now + Place + """
        local k = KEYS[1]
        local member = ARGV[6]
        local late = 0
        if member ~= '' and not redis.call('ZSCORE', KEYS[4], member) then
          if redis.call('ZREM', KEYS[6], member) == 0 then return {2, false, 0, now, 0} end
          late = 1
          member = ''
        end
        if ARGV[7] ~= '' and redis.call('EXISTS', KEYS[5]) == 1 then return {2, false, 0, now, 0} end
        local ver = redis.call('HGET', k, 'ver')
        if not ver then return {3, false, 0, now, 0} end
        if ver ~= ARGV[2] then
          if late == 1 then redis.call('ZADD', KEYS[6], now, ARGV[6]) end
          local f = redis.call('HMGET', k, 'json', 's', 'lu')
          return {0, f[1], tonumber(ver), now, 0, tonumber(f[2] or '0'), tonumber(f[3] or '0')}
        end
        if member ~= '' then
          redis.call('ZREM', KEYS[4], member)
          if tonumber(redis.call('HGET', k, 'inflight') or '0') > 0 then redis.call('HINCRBY', k, 'inflight', -1) end
        end
        if ARGV[7] ~= '' then redis.call('SET', KEYS[5], '1', 'PX', ARGV[7]) end
        local nv = tonumber(ver) + 1
        redis.call('HSET', k, 'json', ARGV[3], 'ver', nv, 'mu', ARGV[8], 'plain', ARGV[10])
        if ARGV[9] ~= '0' then redis.call('HINCRBY', k, 's', -tonumber(ARGV[9])) end
        local i = 12
        for j = 1, tonumber(ARGV[11]) do
          redis.call('HDEL', k, 'm:' .. ARGV[i])
          i = i + 1
        end
        while i < #ARGV - 1 do
          redis.call('HSET', k, 'm:' .. ARGV[i], ARGV[i + 1])
          i = i + 2
        end
        place(k, ARGV[1], tonumber(ARGV[4]), ARGV[5], KEYS[2], KEYS[3], now, KEYS[7])
        return {1, false, nv, now, late}
        """);

    /// <summary>
    /// Releases a lease without an outcome (once: the lease's entry goes with the first release or report).
    /// KEYS: key hash, leases. ARGV: lease member. Returns 1, or 0 when the lease was already reported, released or timed out.
    /// </summary>
    public static readonly RedisScript Release = new("""
        if redis.call('ZREM', KEYS[2], ARGV[1]) == 0 then return 0 end
        if tonumber(redis.call('HGET', KEYS[1], 'inflight') or '0') > 0 then redis.call('HINCRBY', KEYS[1], 'inflight', -1) end
        return 1
        """);

    /// <summary>
    /// Registers a process's keys; a key Redis already knows keeps its state. KEYS: ids, held, ring, cool, seq, guard.
    /// ARGV: key prefix, project prefix, then per key: id, json, until ms, disabled, project ('' none), held (0/1: enabled here),
    /// the last model cooldown's end ms (0 none), n models, (model, until) pairs.
    /// Returns now.
    /// </summary>
    public static readonly RedisScript Register = new(Now + Place + """
        -- Lease ids start from the clock, so ids handed out before a restart without persistence are never reused.
        redis.call('SET', KEYS[5], string.format('%d', now * 1000), 'NX')
        local i = 3
        while i < #ARGV do
          local id = ARGV[i]
          local k = ARGV[1] .. id
          local nm = tonumber(ARGV[i + 7])
          redis.call('SADD', KEYS[1], id)
          if ARGV[i + 5] == '1' then redis.call('SADD', KEYS[2], id) end
          if redis.call('HEXISTS', k, 'ver') == 0 then
            redis.call('HSET', k, 'json', ARGV[i + 1], 'ver', 1, 'inflight', 0, 'mu', ARGV[i + 6], 'plain', '0')
            for j = 0, nm - 1 do
              redis.call('HSET', k, 'm:' .. ARGV[i + 8 + 2 * j], ARGV[i + 9 + 2 * j])
            end
            place(k, id, tonumber(ARGV[i + 2]), ARGV[i + 3], KEYS[3], KEYS[4], now, KEYS[6])
          end
          if ARGV[i + 4] ~= '' then
            redis.call('HSET', k, 'project', ARGV[i + 4])
            redis.call('SADD', ARGV[2] .. ARGV[i + 4], id)
          end
          i = i + 8 + 2 * nm
        end
        return now
        """);
}
