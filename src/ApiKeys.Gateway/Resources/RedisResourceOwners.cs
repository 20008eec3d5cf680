using StackExchange.Redis;

namespace ApiKeys.Gateway.Resources;

/// <summary>Resource owners in Redis (<c>apikeys:{pool}:gw:res:NAME</c> = key id, expiring with the resource), shared by every gateway of the pool.</summary>
public sealed class RedisResourceOwners(IConnectionMultiplexer redis, string root) : IResourceOwners
{
    /// <inheritdoc />
    public async ValueTask RememberAsync(string name, string keyId, TimeSpan lifetime, CancellationToken cancellationToken = default) =>
        await redis.GetDatabase().StringSetAsync(root + "res:" + name, keyId, lifetime).ConfigureAwait(false);

    /// <inheritdoc />
    public async ValueTask<string?> OwnerAsync(string name, CancellationToken cancellationToken = default)
    {
        var value = await redis.GetDatabase().StringGetAsync(root + "res:" + name).ConfigureAwait(false);
        return value.IsNullOrEmpty ? null : value.ToString();
    }

    /// <inheritdoc />
    public async ValueTask ForgetAsync(string name, CancellationToken cancellationToken = default) =>
        await redis.GetDatabase().KeyDeleteAsync(root + "res:" + name).ConfigureAwait(false);
}
