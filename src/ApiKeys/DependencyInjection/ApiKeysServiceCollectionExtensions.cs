using ApiKeys;
using ApiKeys.Keys;
using ApiKeys.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the key pool: <see cref="ApiKeyManager"/> as <see cref="IKeyPool"/>, its options (validated on start) and its store.</summary>
public static class ApiKeysServiceCollectionExtensions
{
    /// <summary>
    /// Adds the key pool. By default it keeps its keys in the JSON store of <c>APIKEYS_DIR</c> (else the current directory);
    /// every part is registered with <c>TryAdd</c>, so it can be replaced.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options.</param>
    public static IApiKeyManagerBuilder AddApiKeyManager(this IServiceCollection services, Action<ApiKeyManagerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptionsWithValidateOnStart<ApiKeyManagerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyManagerOptions>, ApiKeyManagerOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKeyStore>(sp => new JsonKeyStore(ApiKeyManager.DefaultDirectory(), timeProvider: sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ApiKeyManager(
            sp.GetRequiredService<IKeyStore>(),
            sp.GetRequiredService<IOptions<ApiKeyManagerOptions>>().Value,
            sp.GetService<ILogger<ApiKeyManager>>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IKeyPool>(sp => sp.GetRequiredService<ApiKeyManager>());
        return new ApiKeyManagerBuilder(services);
    }

    /// <summary>Keeps keys and states in the JSON store in <paramref name="directory"/>.</summary>
    /// <param name="builder">The pool's builder.</param>
    /// <param name="directory">The store directory.</param>
    /// <param name="configure">Configures the store's options (validated on start).</param>
    public static IApiKeyManagerBuilder UseJsonStore(this IApiKeyManagerBuilder builder, string directory, Action<JsonKeyStoreOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var options = builder.Services.AddOptionsWithValidateOnStart<JsonKeyStoreOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JsonKeyStoreOptions>, JsonKeyStoreOptionsValidator>());
        builder.Services.RemoveAll<IKeyStore>();
        builder.Services.AddSingleton<IKeyStore>(sp => new JsonKeyStore(
            directory, sp.GetRequiredService<IOptions<JsonKeyStoreOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        return builder;
    }

    /// <summary>Uses keys given directly (e.g. from configuration); states in memory, or in <paramref name="stateDirectory"/>.</summary>
    public static IApiKeyManagerBuilder UseKeys(this IApiKeyManagerBuilder builder, IEnumerable<string?> keys, string? stateDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(keys);
        var list = keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => k!.Trim()).Distinct(StringComparer.Ordinal).ToList();
        builder.Services.RemoveAll<IKeyStore>();
        builder.Services.AddSingleton<IKeyStore>(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            var given = list.Select(k => new ApiKey(k, time.GetUtcNow())).ToList();
            return stateDirectory is null
                ? new MemoryKeyStore(given)
                : new JsonKeyStore(stateDirectory, new JsonKeyStoreOptions { GivenKeys = given }, time);
        });
        return builder;
    }
}
