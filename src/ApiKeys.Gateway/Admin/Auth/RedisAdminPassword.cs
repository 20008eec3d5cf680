using StackExchange.Redis;

namespace ApiKeys.Gateway.Admin.Auth;

/// <summary>
/// The dashboard's password hash in Redis, beside the pool's tokens: <c>{prefix}:{pool}:gw:admin-password</c>, so every
/// gateway of the pool signs in with the same password. Read on every sign-in and session check (one GET).
/// </summary>
public sealed class RedisAdminPassword : IAdminPasswordStore
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisKey _key;

    /// <summary>The password of the Redis pool <paramref name="pool"/>.</summary>
    /// <param name="redis">The process's multiplexer; not disposed here.</param>
    /// <param name="pool">The pool's name.</param>
    /// <param name="keyPrefix">The first part of every Redis key name.</param>
    public RedisAdminPassword(IConnectionMultiplexer redis, string pool = "default", string keyPrefix = "apikeys")
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrWhiteSpace(pool);
        _redis = redis;
        Location = $"{keyPrefix}:{{{pool}}}:gw:admin-password";
        _key = Location;
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public async ValueTask<AdminPassword?> ReadAsync(CancellationToken cancellationToken = default)
    {
        var value = await _redis.GetDatabase().StringGetAsync(_key).ConfigureAwait(false);
        return value.IsNullOrEmpty ? null : AdminPassword.Parse(value.ToString(), "Redis " + Location);
    }

    /// <inheritdoc />
    public async ValueTask WriteAsync(AdminPassword password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(password);
        await _redis.GetDatabase().StringSetAsync(_key, password.ToJson()).ConfigureAwait(false);
    }
}
