using ApiKeys.Gateway.Limits;
using ApiKeys.Gateway.Resources;
using ApiKeys.Gateway.Tokens;
using ApiKeys.Redis;
using ApiKeys.Security;
using ApiKeys.Storage;
using StackExchange.Redis;

namespace ApiKeys.Gateway.Hosting;

/// <summary>
/// What the gateway serves from: the key pool, the client tokens and their limits, the owners of files and cached contents.
/// Embedded: the JSON store in the store directory (<see cref="ApiKeyManager"/>), tokens and resource owners in 0600 files
/// beside it, limits in memory. With Redis: the keys still come from the store; their state, the tokens, the limits and the
/// resource owners live in Redis, shared by every gateway on the same pool.
/// </summary>
internal sealed class GatewayBackend : IDisposable
{
    private GatewayBackend(IKeyPool pool, IClientTokenStore tokens, IClientLimiter limits, IResourceOwners owners, IConnectionMultiplexer? redis,
        string directory, string description)
    {
        Pool = pool;
        Owners = owners;
        Tokens = tokens;
        Limits = limits;
        Redis = redis;
        Directory = directory;
        Description = description;
    }

    public IKeyPool Pool { get; }

    public IClientTokenStore Tokens { get; }

    public IClientLimiter Limits { get; }

    /// <summary>Which key created which file or cached content.</summary>
    public IResourceOwners Owners { get; }

    public IConnectionMultiplexer? Redis { get; }

    public string Directory { get; }

    /// <summary>One line for the start-up log (no secret: the Redis connection string is not in it).</summary>
    public string Description { get; }

    /// <exception cref="KeyStoreException">The store cannot be read (it is left as it is).</exception>
    public static GatewayBackend Open(GatewayOptions options, ApiKeyManagerOptions poolOptions, ILoggerFactory loggers, TimeProvider time)
    {
        string directory = Path.GetFullPath(string.IsNullOrWhiteSpace(options.Directory) ? ApiKeyManager.DefaultDirectory() : options.Directory);
        var store = new JsonKeyStore(directory, StoreOptions(directory, options), time);
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            var manager = new ApiKeyManager(store, poolOptions, loggers.CreateLogger<ApiKeyManager>(), time);
            return new GatewayBackend(manager, new JsonClientTokenStore(directory, time), new MemoryClientLimiter(),
                new JsonResourceOwners(directory, time, loggers.CreateLogger<JsonResourceOwners>()), null, directory,
                $"JSON store {directory} ({manager.Count} keys)");
        }

        var redis = RedisKeyPool.ConnectMultiplexer(options.Redis);
        try
        {
            var pool = RedisKeyPool.FromStore(redis, store, new RedisKeyPoolOptions { PoolName = options.RedisPool }, poolOptions,
                loggers.CreateLogger<RedisKeyPool>(), time);
            store.Dispose();
            var tokens = new RedisClientTokenStore(redis, options.RedisPool, timeProvider: time);
            return new GatewayBackend(pool, tokens, new RedisClientLimiter(redis, tokens.Root), new RedisResourceOwners(redis, tokens.Root), redis, directory,
                $"Redis pool '{options.RedisPool}' with the {pool.Keys.Count} keys of {directory}");
        }
        catch
        {
            store.Dispose();
            redis.Dispose();
            throw;
        }
    }

    /// <summary>Reports an outcome of a call made without a lease (a key chosen by the resource it owns).</summary>
    public void Report(ApiKeys.Keys.ApiKey key, ApiKeys.Pool.KeyOutcome outcome)
    {
        switch (Pool)
        {
            case ApiKeyManager manager:
                manager.Report(key.Id, outcome);
                break;
            case RedisKeyPool redis:
                redis.Report(key.Secret, outcome);
                break;
        }
    }

    /// <summary>Writes the pool's pending state changes (the JSON store; Redis has them already).</summary>
    public void Flush()
    {
        if (Pool is ApiKeyManager manager)
        {
            manager.Flush();
        }
    }

    /// <summary>Flushes and releases the pool, the tokens and the Redis connection.</summary>
    public void Dispose()
    {
        (Pool as IDisposable)?.Dispose();
        (Tokens as IDisposable)?.Dispose();
        (Limits as IDisposable)?.Dispose();
        (Owners as IDisposable)?.Dispose();
        Redis?.Dispose();
    }

    private static JsonKeyStoreOptions StoreOptions(string directory, GatewayOptions options)
    {
        if (!EncryptedStore.IsEncrypted(directory))
        {
            return new JsonKeyStoreOptions();
        }

        var passphrase = options.PassphraseFile is { Length: > 0 } file ? PassphraseProvider.FromFile(file) : PassphraseProvider.FromEnvironment();
        return EncryptedStore.StoreOptions(passphrase);
    }
}
