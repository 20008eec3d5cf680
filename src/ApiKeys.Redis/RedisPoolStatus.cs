using ApiKeys.Keys;
using ApiKeys.Pool;
using StackExchange.Redis;

namespace ApiKeys.Redis;

/// <summary>
/// Statuses of a Redis-backed pool for tools (<c>apikeys status --redis</c>): what every process of the pool sees now.
/// Needs no secret: keys are named by id, or by mask when their secrets are given.
/// </summary>
public static class RedisPoolStatus
{
    /// <summary>Reads the status of every key registered in pool <paramref name="poolName"/>.</summary>
    /// <param name="redis">A connected multiplexer.</param>
    /// <param name="poolName">The pool's name.</param>
    /// <param name="keys">Keys whose secrets this process holds (shown by mask, with label and project, first and in order); null: ids only.</param>
    /// <param name="model">Also say whether each key can serve this model.</param>
    /// <param name="options">The rules (only <see cref="ApiKeyManagerOptions.MaxLeasesPerKey"/> is used, to mark busy keys).</param>
    /// <param name="keyPrefix">The prefix the pool was created with.</param>
    /// <param name="cancellationToken">Stops waiting for the answer.</param>
    public static Task<IReadOnlyList<KeyStatus>> ReadAsync(IConnectionMultiplexer redis, string poolName = "default", IEnumerable<ApiKey>? keys = null,
        string? model = null, ApiKeyManagerOptions? options = null, string keyPrefix = "apikeys", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var names = Names(poolName, keyPrefix);
        var task = RedisStatusReader.ReadAsync(redis.GetDatabase(), names, keys?.ToList() ?? [], includeOthers: true,
            string.IsNullOrEmpty(model) ? null : model, options?.MaxLeasesPerKey);
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Connects to <paramref name="connectionString"/>, reads the statuses of pool <paramref name="poolName"/>, and disconnects.</summary>
    /// <exception cref="RedisKeyPoolUnavailableException">Redis cannot be reached.</exception>
    public static async Task<IReadOnlyList<KeyStatus>> ReadAsync(string connectionString, string poolName = "default", IEnumerable<ApiKey>? keys = null,
        string? model = null, ApiKeyManagerOptions? options = null, string keyPrefix = "apikeys", CancellationToken cancellationToken = default)
    {
        var redis = await ConnectAsync(connectionString).ConfigureAwait(false);
        await using (redis.ConfigureAwait(false))
        {
            try
            {
                return await ReadAsync(redis, poolName, keys, model, options, keyPrefix, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException)
            {
                throw new RedisKeyPoolUnavailableException($"Redis ({Endpoints(redis)}) did not answer reading pool '{poolName}': {e.GetType().Name}.", e);
            }
        }
    }

    /// <summary>The names of the pools in Redis (those with at least one registered key).</summary>
    public static async Task<IReadOnlyList<string>> ListPoolsAsync(IConnectionMultiplexer redis, string keyPrefix = "apikeys", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(redis);
        var pools = new SortedSet<string>(StringComparer.Ordinal);
        string head = keyPrefix + ":{";
        foreach (var endpoint in redis.GetEndPoints())
        {
            var server = redis.GetServer(endpoint);
            if (server.IsReplica)
            {
                continue;
            }

            await foreach (var key in server.KeysAsync(pattern: keyPrefix + ":{*}:ids").WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                string name = key!;
                int end = name.LastIndexOf("}:ids", StringComparison.Ordinal);
                if (name.StartsWith(head, StringComparison.Ordinal) && end > head.Length)
                {
                    pools.Add(name[head.Length..end]);
                }
            }
        }

        return [.. pools];
    }

    private static RedisPoolKeys Names(string poolName, string keyPrefix)
    {
        new RedisKeyPoolOptions { PoolName = poolName, KeyPrefix = keyPrefix }.Validate();
        return new RedisPoolKeys(keyPrefix, poolName);
    }

    private static async Task<ConnectionMultiplexer> ConnectAsync(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var config = ConfigurationOptions.Parse(connectionString);
        config.AbortOnConnectFail = true;
        try
        {
            return await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        }
        catch (RedisConnectionException e)
        {
            throw new RedisKeyPoolUnavailableException($"Redis ({RedisEndpoints.Describe(config.EndPoints)}) cannot be reached: {e.FailureType}.", e);
        }
    }

    private static string Endpoints(ConnectionMultiplexer redis) => RedisEndpoints.Describe(redis.GetEndPoints());
}
