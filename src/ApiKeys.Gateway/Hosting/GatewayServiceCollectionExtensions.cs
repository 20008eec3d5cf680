using ApiKeys.Gateway.Endpoints;
using ApiKeys.Gateway.Forwarding;
using ApiKeys.Gateway.Logging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ApiKeys.Gateway.Hosting;

/// <summary>The gateway's services: options validated on start, the backend (pool, tokens, limits), the upstream client, the pipeline.</summary>
internal static class GatewayServiceCollectionExtensions
{
    public static IServiceCollection AddGateway(this IServiceCollection services, IConfiguration configuration, LogRedactor redactor, TimeSpan drain, bool accessLog)
    {
        services.AddOptions<GatewayOptions>().Bind(configuration.GetSection(GatewayOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(redactor);
        services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            var poolOptions = new ApiKeyManagerOptions();
            configuration.GetSection("Pool").Bind(poolOptions);
            var backend = GatewayBackend.Open(options, poolOptions, sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>());
            redactor.Attach(backend.Pool);
            return backend;
        });
        services.AddSingleton(sp => new UpstreamClient(sp.GetRequiredService<GatewayBackend>(), sp.GetRequiredService<IOptions<GatewayOptions>>(),
            sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(new InFlightRequests());
        if (accessLog)
        {
            services.AddSingleton<IForwardObserver>(sp => new AccessLogObserver(sp.GetRequiredService<ILogger<AccessLogObserver>>()));
        }

        services.AddSingleton(sp => new Forwarder(sp.GetRequiredService<GatewayBackend>(), sp.GetRequiredService<UpstreamClient>(),
            sp.GetRequiredService<IOptions<GatewayOptions>>(), sp.GetServices<IForwardObserver>(), sp.GetRequiredService<InFlightRequests>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<Forwarder>>()));
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, GatewayJsonContext.Default));
        // Kestrel drains requests in flight (streams) until the host's shutdown timeout, then ends them.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = drain);
        return services;
    }
}
