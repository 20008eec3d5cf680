using ApiKeys;
using ApiKeys.Http;
using ApiKeys.Http.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>HTTP integration: the pool's options from configuration, key rotation on an <c>HttpClient</c>, scheduled revalidation.</summary>
public static class ApiKeysHttpServiceCollectionExtensions
{
    /// <summary>
    /// Adds the key pool with its options bound from <paramref name="configuration"/> (e.g. the <c>ApiKeys</c> section) and
    /// validated on start. A <c>Keys</c> array in the section, if present, is the pool's keys (states in memory, or in
    /// <c>StateDirectory</c>); else the JSON store is used.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration section.</param>
    /// <param name="configure">Further configures the options, after binding.</param>
    public static IApiKeyManagerBuilder AddApiKeyManager(this IServiceCollection services, IConfiguration configuration, Action<ApiKeyManagerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<ApiKeyManagerOptions>().Bind(configuration);
        var builder = services.AddApiKeyManager(configure);
        var keys = configuration.GetSection("Keys").GetChildren().Select(c => c.Value).Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        if (keys.Count > 0)
        {
            builder.UseKeys(keys, configuration["StateDirectory"]);
        }

        return builder;
    }

    /// <summary>
    /// Adds <see cref="ApiKeyHandler"/> to this client: every request gets a key from the pool (registered with
    /// <c>AddApiKeyManager</c>; added with defaults if missing), and is retried on another key when the failure allows it.
    /// </summary>
    /// <param name="builder">The client's builder.</param>
    /// <param name="configure">Configures the handler's options (named after the client; validated on start).</param>
    public static IHttpClientBuilder AddApiKeyRotation(this IHttpClientBuilder builder, Action<ApiKeyHandlerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.Services.Any(d => d.ServiceType == typeof(IKeyPool)))
        {
            builder.Services.AddApiKeyManager();
        }

        var options = builder.Services.AddOptionsWithValidateOnStart<ApiKeyHandlerOptions>(builder.Name);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Usage accounting: a sink registered in DI, unless the options name one.
        options.PostConfigure<IServiceProvider>((o, sp) => o.UsageSink ??= sp.GetService<ApiKeys.Http.Usage.IUsageSink>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ApiKeyHandlerOptions>, ApiKeyHandlerOptionsValidator>());

        string name = builder.Name;
        builder.AddHttpMessageHandler(sp => new ApiKeyHandler(
            sp.GetRequiredService<IKeyPool>(),
            sp.GetRequiredService<IOptionsMonitor<ApiKeyHandlerOptions>>().Get(name),
            sp.GetService<ILogger<ApiKeyHandler>>(),
            sp.GetService<TimeProvider>()));
        return builder;
    }

    /// <summary>Adds <see cref="KeyRevalidationService"/>: disabled and model-blocked keys are validated on a schedule.</summary>
    /// <param name="builder">The pool's builder.</param>
    /// <param name="configure">Configures the schedule and the API's address (validated on start).</param>
    public static IApiKeyManagerBuilder AddKeyRevalidation(this IApiKeyManagerBuilder builder, Action<KeyRevalidationOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Services.AddOptionsWithValidateOnStart<KeyRevalidationOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyRevalidationOptions>, KeyRevalidationOptionsValidator>());

        builder.Services.AddHttpClient(KeyRevalidationService.HttpClientName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHostedService<KeyRevalidationService>();
        return builder;
    }

    /// <summary>Adds <see cref="KeyRevalidationService"/> with the given interval.</summary>
    /// <param name="builder">The pool's builder.</param>
    /// <param name="interval">How often keys are revalidated.</param>
    public static IApiKeyManagerBuilder AddKeyRevalidation(this IApiKeyManagerBuilder builder, TimeSpan interval) =>
        builder.AddKeyRevalidation(o => o.Interval = interval);

}
