namespace ApiKeys.Redis;

internal static partial class RedisScripts
{
    /// <summary>
    /// KEYS: ring, cool, leases, held, seq, late, guard. ARGV: key prefix, cap (0 none), lease timeout ms, n picks, per pick
    /// (model or '' none, n request limits, per limit (model or '' for every model, per minute or 0, per day or 0, the next
    /// day's start ms)), n successes carried, each success's lease member (see <see cref="Success"/>), the clock (ms, or -1
    /// for Redis's TIME). The picks are the acquires this process asked for while another was on its way (one, unless
    /// callers were waiting), made in order as if each were its own call.
    /// A lease that timed out goes to 'late' (scored by when), so its report, if it ever comes, still counts once. The guard
    /// hash's 'sweep' says when a lease or late entry can next be due, its 'cdue' when a cooling key can: before then the
    /// acquire does not look at those sets. The guard hash is read once a call, and lease ids are reserved from 'seq' once a
    /// call, for the picks left (an id a failed pick reserved is never used).
    /// Returns one answer per pick, in order, then the carried successes' codes (as <see cref="Success"/>'s), in order,
    /// counted before the first pick. A pick's answer is {1, id, leaseId, now, (limit index, until ms)...: the limits this
    /// lease reached} | {0, busy, earliest ms or -1, now} | {2, 0, back-off end ms, now} while the environment-fault guard
    /// says back off | {-1, 0, 0, now} when the pool is not registered.
    /// A pick for no model prefers keys with no cooldown for any model ('mu', the last one's end, past); a key cooling
    /// for some model is handed out only when no such key is left, and then goes to the end of the ring.
    /// </summary>
    public static readonly RedisScript Acquire = new(Now + Succeed + Cooling + """
        local prefix = ARGV[1]
        local cap = tonumber(ARGV[2])
        local timeout = tonumber(ARGV[3])
        -- Where each pick's arguments start (its model, then its limits).
        local picks = {}
        local sbase = 5
        for p = 1, tonumber(ARGV[4]) do
          picks[p] = sbase
          sbase = sbase + 2 + 4 * tonumber(ARGV[sbase + 1])
        end
        -- Successes queued in this process while another call was on its way ride on its next acquire, counted before the
        -- picks (a lease the caller just ended frees its key for it); their codes end the answer, in order.
        local done = {}
        for i = 1, tonumber(ARGV[sbase]) do
          local m = ARGV[sbase + i]
          done[i] = succeed(prefix .. string.match(m, '|(.+)$'), m, KEYS[3], KEYS[6], now)
        end
        -- Read once for the call's picks: only the guard script sets 'backoff', and what a pick sets 'sweep' and 'cdue' to
        -- (kept in these locals as it writes them) is never due within the call (its 'now').
        local g = redis.call('HMGET', KEYS[7], 'backoff', 'sweep', 'cdue')
        local backoff, sweep, cdue = tonumber(g[1] or '0'), tonumber(g[2] or '0'), tonumber(g[3] or '0')
        -- Lease ids: reserved for the picks left at the first that takes one (unused ones are skipped, never reused).
        local left, nextlease, lastlease = #picks, 1, 0
        local function pick(base)
          if backoff > now then return {2, 0, backoff, now} end
          -- Leases whose process never reported (it crashed) stop counting after the lease timeout. 'sweep' is the earliest
          -- time one can be due (a lease's timeout, a late entry's end): the sets are only looked at from then on.
          if sweep <= now then
            redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now - timeout)
            local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, 32)
            for _, m in ipairs(stale) do
              redis.call('ZREM', KEYS[3], m)
              redis.call('ZADD', KEYS[6], now, m)
              local k = prefix .. string.match(m, '|(.+)$')
              if tonumber(redis.call('HGET', k, 'inflight') or '0') > 0 then redis.call('HINCRBY', k, 'inflight', -1) end
            end
            sweep = now + timeout
            local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
            if first[2] and tonumber(first[2]) < sweep then sweep = tonumber(first[2]) end
            first = redis.call('ZRANGE', KEYS[6], 0, 0, 'WITHSCORES')
            if first[2] and tonumber(first[2]) + timeout < sweep then sweep = tonumber(first[2]) + timeout end
            redis.call('HSET', KEYS[7], 'sweep', sweep)
          end
          -- Keys whose cooldown ended go back to the end of the ring. 'cdue' is the earliest time one can end (every script
          -- that adds to the cooling set lowers it; missing: now): the set is only looked at from then on, and at least
          -- once a second (a process running older scripts adds to the set without lowering it).
          if cdue <= now then
            local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 64)
            for _, id in ipairs(due) do
              redis.call('ZREM', KEYS[2], id)
              local k = prefix .. id
              if redis.call('HGET', k, 'where') == 'c' then
                redis.call('RPUSH', KEYS[1], id)
                redis.call('HSET', k, 'where', 'r')
              end
            end
            cdue = now + 1000
            local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
            if first[2] and tonumber(first[2]) < cdue then cdue = tonumber(first[2]) end
            redis.call('HSET', KEYS[7], 'cdue', cdue)
          end
          local function count(k, id, answer)
            for li = 1, tonumber(ARGV[base + 1]) do
              local j = base - 2 + 4 * li
              local name, pm, pd = ARGV[j], tonumber(ARGV[j + 1]), tonumber(ARGV[j + 2])
              local untilms = -1
              if pm > 0 then
                local f = redis.call('HMGET', k, 'lms:' .. name, 'lmc:' .. name)
                local s, c = tonumber(f[1] or '-1'), tonumber(f[2] or '0')
                if s < 0 or now >= s + 60000 then s, c = now, 0 end
                c = c + 1
                redis.call('HSET', k, 'lms:' .. name, s, 'lmc:' .. name, c)
                if c >= pm then untilms = s + 60000 end
              end
              if pd > 0 then
                local f = redis.call('HMGET', k, 'lde:' .. name, 'ldc:' .. name)
                local e, c = tonumber(f[1] or '-1'), tonumber(f[2] or '0')
                if now >= e then e, c = tonumber(ARGV[j + 3]), 0 end
                c = c + 1
                redis.call('HSET', k, 'lde:' .. name, e, 'ldc:' .. name, c)
                if c >= pd and e > untilms then untilms = e end
              end
              if untilms > 0 then
                -- The key steps aside at once for every process; the report that follows writes the same cooldown into its state.
                if name == '' then
                  redis.call('ZADD', KEYS[2], 'GT', untilms, id)
                  cooling(KEYS[7], untilms)
                  if redis.call('HGET', k, 'where') == 'r' then
                    redis.call('LREM', KEYS[1], 0, id)
                    redis.call('HSET', k, 'where', 'c')
                  end
                else
                  local u = tonumber(redis.call('HGET', k, 'm:' .. name) or '0')
                  if u >= 0 and u < untilms then redis.call('HSET', k, 'm:' .. name, untilms) end
                end
                answer[#answer + 1] = li
                answer[#answer + 1] = untilms
              end
            end
          end
          local model = ARGV[base]
          local mfield = 'm:' .. model
          local busy = 0
          local earliest = -1
          local function take(id)
            local k = prefix .. id
            redis.call('HINCRBY', k, 'inflight', 1)
            if nextlease > lastlease then
              lastlease = redis.call('INCRBY', KEYS[5], left)
              nextlease = lastlease - left + 1
            end
            local lease = nextlease
            nextlease = nextlease + 1
            redis.call('ZADD', KEYS[3], now + timeout, string.format('%d', lease) .. '|' .. id)
            if now + timeout < sweep then
              sweep = now + timeout
              redis.call('HSET', KEYS[7], 'sweep', sweep)
            end
            local answer = {1, id, lease, now}
            if ARGV[base + 1] ~= '0' then count(k, id, answer) end
            return answer
          end
          local fallback = nil
          -- The ring's length is asked only once its first key does not do: most picks take the first.
          local i, n = 0, -1
          while n < 0 or i < n do
            i = i + 1
            local id = redis.call('LMOVE', KEYS[1], KEYS[1], 'LEFT', 'RIGHT')
            if not id then break end
            if redis.call('SISMEMBER', KEYS[4], id) == 1 then
              local k = prefix .. id
              local f = redis.call('HMGET', k, 'inflight', mfield, 'mu')
              local ok = true
              if model ~= '' and f[2] then
                local u = tonumber(f[2])
                if u < 0 or u > now then
                  ok = false
                  if u > 0 and (earliest < 0 or u < earliest) then earliest = u end
                end
              end
              if ok and cap > 0 and tonumber(f[1] or '0') >= cap then
                ok = false
                busy = 1
              end
              if ok and model == '' and f[3] and tonumber(f[3]) > now then
                if not fallback then fallback = id end
                ok = false
              end
              if ok then return take(id) end
            end
            if n < 0 then n = redis.call('LLEN', KEYS[1]) end
          end
          if fallback then
            redis.call('LREM', KEYS[1], 1, fallback)
            redis.call('RPUSH', KEYS[1], fallback)
            return take(fallback)
          end
          -- Checked here only: a pool that is not registered has no key this process holds in the ring either.
          if redis.call('EXISTS', KEYS[4]) == 0 then return {-1, 0, 0, now} end
          local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
          if first[2] then
            local u = tonumber(first[2])
            if earliest < 0 or u < earliest then earliest = u end
          end
          return {0, busy, earliest, now}
        end
        local answers = {}
        for p, base in ipairs(picks) do
          answers[p] = pick(base)
          left = left - 1
        end
        for _, c in ipairs(done) do answers[#answers + 1] = c end
        return answers
        """);
}
