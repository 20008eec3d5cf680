using System.Globalization;
using ApiKeys.Gateway.Tokens;
using StackExchange.Redis;

namespace ApiKeys.Gateway.Limits;

/// <summary>
/// Client limits shared by every gateway on one Redis pool, exactly: one script checks the three limits and takes the
/// permits atomically (a fixed window per minute and per day starting at the window's first request, and a sorted set of
/// requests in flight whose entries expire after <see cref="InFlightTimeout"/> should a gateway die holding them).
/// System.Threading.RateLimiting has no distributed limiter; this one has the same contract as <see cref="MemoryClientLimiter"/>.
/// </summary>
public sealed class RedisClientLimiter : IClientLimiter
{
    // Returns {1} when granted, else {0, which, retry-after ms}. Time is Redis's, so every gateway agrees on windows.
    private const string AcquireScript = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local rpm, rpd, conc, ttl = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
        if conc > 0 then
          redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
          if redis.call('ZCARD', KEYS[3]) >= conc then return {0, 3, 1000} end
        end
        if rpm > 0 and tonumber(redis.call('GET', KEYS[1]) or '0') >= rpm then return {0, 1, redis.call('PTTL', KEYS[1])} end
        if rpd > 0 and tonumber(redis.call('GET', KEYS[2]) or '0') >= rpd then return {0, 2, redis.call('PTTL', KEYS[2])} end
        if rpm > 0 and redis.call('INCR', KEYS[1]) == 1 then redis.call('PEXPIRE', KEYS[1], 60000) end
        if rpd > 0 and redis.call('INCR', KEYS[2]) == 1 then redis.call('PEXPIRE', KEYS[2], 86400000) end
        if conc > 0 then
          redis.call('ZADD', KEYS[3], now + ttl, ARGV[5])
          redis.call('PEXPIRE', KEYS[3], ttl)
        end
        return {1}
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly string _root;
    private long _sequence;

    /// <summary>Limits kept under <paramref name="root"/> (e.g. <see cref="RedisClientTokenStore.Root"/>).</summary>
    public RedisClientLimiter(IConnectionMultiplexer redis, string root)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _redis = redis;
        _root = root;
    }

    /// <summary>How long a request counts as in flight if its gateway never says it ended.</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan InFlightTimeout { get; init; } = TimeSpan.FromHours(1);

    /// <inheritdoc />
    public async ValueTask<ClientLimitLease> AcquireAsync(ClientToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.HasLimits)
        {
            return ClientLimitLease.Unlimited;
        }

        // The HMAC names the counters: a token revoked and created again under the same name starts afresh.
        string prefix = _root + "limit:" + token.Hash[..16] + ":";
        RedisKey inFlight = prefix + "inflight";
        string member = $"{Environment.ProcessId}:{Guid.NewGuid():N}:{Interlocked.Increment(ref _sequence)}";
        var result = (RedisResult[])(await _redis.GetDatabase().ScriptEvaluateAsync(AcquireScript,
            [prefix + "minute", prefix + "day", inFlight],
            [token.RequestsPerMinute ?? 0, token.RequestsPerDay ?? 0, token.MaxConcurrency ?? 0, (long)InFlightTimeout.TotalMilliseconds, member]).ConfigureAwait(false))!;
        if ((int)result[0] == 1)
        {
            return ClientLimitLease.Granted(token.MaxConcurrency is null ? null : new Release(_redis, inFlight, member));
        }

        string limit = (int)result[1] switch
        {
            1 => ClientLimitNames.PerMinute,
            2 => ClientLimitNames.PerDay,
            _ => ClientLimitNames.InFlight,
        };
        long ms = Math.Max((long)result[2], 1000);
        return ClientLimitLease.Refused(limit, TimeSpan.FromMilliseconds(ms));
    }

    private sealed class Release(IConnectionMultiplexer redis, RedisKey set, string member) : IDisposable
    {
        // Fire and forget: should it be lost, the entry expires after InFlightTimeout.
        public void Dispose() => redis.GetDatabase().SortedSetRemove(set, member, CommandFlags.FireAndForget);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Redis client limits under {_root}");
}
