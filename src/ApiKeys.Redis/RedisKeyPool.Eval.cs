using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>Runs a script, turning connection trouble into <see cref="RedisKeyPoolUnavailableException"/> (retrying timeouts when asked).</summary>
    private RedisResult Eval(RedisScript script, RedisKey[] keys, RedisValue[] args, string what, int timeoutRetries = 0)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        for (int attempt = 0; ; attempt++)
        {
            if (!_redis.IsConnected)
            {
                throw Unavailable(what, null);
            }

            try
            {
                RedisResult? result = script.Evaluate(_redis.GetDatabase(), keys, args);
                if (result is { IsNull: false })
                {
                    return result;
                }

                if (attempt >= NullRetries)
                {
                    throw Unavailable(what, null, "no answer");
                }
            }
            catch (RedisTimeoutException) when (attempt < timeoutRetries)
            {
                // The script may have run: the retry is safe because every such write says what it applies to (a lease, an operation id).
            }
            catch (Exception e) when (IsOutage(e))
            {
                throw Unavailable(what, e);
            }
        }
    }

    private async Task<RedisResult> EvalAsync(RedisScript script, RedisKey[] keys, RedisValue[] args, string what)
    {
        for (int attempt = 0; ; attempt++)
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            if (!_redis.IsConnected)
            {
                throw Unavailable(what, null);
            }

            try
            {
                RedisResult? result = await script.EvaluateAsync(_redis.GetDatabase(), keys, args).ConfigureAwait(false);
                if (result is { IsNull: false })
                {
                    return result;
                }

                if (attempt >= NullRetries)
                {
                    throw Unavailable(what, null, "no answer");
                }
            }
            catch (Exception e) when (IsOutage(e))
            {
                throw Unavailable(what, e);
            }
        }
    }

    // The pool passes no cancellation token to Redis: a cancelled command is the client aborting it on a dropped connection.
    private static bool IsOutage(Exception e) => e is RedisConnectionException or RedisTimeoutException or TaskCanceledException
        || (e is RedisServerException s && (s.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || s.Message.StartsWith("READONLY", StringComparison.Ordinal) || s.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || s.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal) || s.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)));

    private RedisKeyPoolUnavailableException Unavailable(string what, Exception? inner, string notConnected = "not connected")
    {
        string endpoints = RedisEndpoints.Describe(_redis.GetEndPoints());
        string message = $"Redis ({endpoints}) is unavailable for key pool '{_redisOptions.PoolName}' ({what}): "
            + (inner is null ? notConnected : inner.GetType().Name)
            + ". Check the server, or set RedisKeyPoolOptions.FallbackToLocal to serve from local state meanwhile.";
        return inner is null ? new RedisKeyPoolUnavailableException(message) : new RedisKeyPoolUnavailableException(message, inner);
    }
}
