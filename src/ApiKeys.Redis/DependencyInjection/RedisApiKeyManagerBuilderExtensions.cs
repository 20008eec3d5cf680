using ApiKeys;
using ApiKeys.Redis;
using ApiKeys.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Shares the key pool registered by <c>AddApiKeyManager</c> across processes and machines through Redis.</summary>
public static class RedisApiKeyManagerBuilderExtensions
{
    /// <summary>
    /// Makes <see cref="IKeyPool"/> a <see cref="RedisKeyPool"/>: the keys still come from the configured store (JSON files,
    /// encrypted or not, or <c>UseKeys</c>), their states live in Redis. One multiplexer per process is registered
    /// (unless one is already), connected with <see cref="RedisKeyPool.ConnectMultiplexer"/>.
    /// </summary>
    /// <param name="builder">The key pool's builder.</param>
    /// <param name="connectionString">A StackExchange.Redis configuration string (<c>localhost:6379</c>).</param>
    /// <param name="configure">Configures the pool name and Redis behaviour.</param>
    public static IApiKeyManagerBuilder UseRedis(this IApiKeyManagerBuilder builder, string connectionString, Action<RedisKeyPoolOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var services = builder.Services;
        var options = services.AddOptionsWithValidateOnStart<RedisKeyPoolOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RedisKeyPoolOptions>, RedisKeyPoolOptionsValidator>());
        services.TryAddSingleton<IConnectionMultiplexer>(_ => RedisKeyPool.ConnectMultiplexer(connectionString));
        services.TryAddSingleton(sp => RedisKeyPool.FromStore(
            sp.GetRequiredService<IConnectionMultiplexer>(),
            sp.GetRequiredService<IKeyStore>(),
            sp.GetRequiredService<IOptions<RedisKeyPoolOptions>>().Value,
            sp.GetRequiredService<IOptions<ApiKeyManagerOptions>>().Value,
            sp.GetService<ILogger<RedisKeyPool>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.RemoveAll<IKeyPool>();
        services.AddSingleton<IKeyPool>(sp => sp.GetRequiredService<RedisKeyPool>());
        return builder;
    }
}
