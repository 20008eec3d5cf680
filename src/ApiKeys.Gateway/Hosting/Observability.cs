using ApiKeys.Diagnostics;
using ApiKeys.Gateway.Forwarding;
using ApiKeys.Gateway.Logging;
using ApiKeys.Gateway.Metrics;
using ApiKeys.Gateway.Usage;
using ApiKeys.Usage;
using ApiKeys.Usage.Diagnostics;
using OpenTelemetry.Metrics;

namespace ApiKeys.Gateway.Hosting;

/// <summary>
/// Usage statistics and metrics: the <c>Usage</c> section (the store in the store directory, fed by every request) and the
/// <c>Metrics</c> section (OpenTelemetry: the <c>ApiKeys</c>, <c>ApiKeys.Gateway</c> and <c>ApiKeys.Usage</c> meters, scraped
/// as Prometheus text at <c>/metrics</c>, on loopback unless a listener of its own is configured, and pushed by OTLP when an
/// endpoint is set).
/// </summary>
internal static class Observability
{
    /// <summary>The .NET runtime's meter (GC, memory, thread pool, CPU time).</summary>
    public const string RuntimeMeterName = "System.Runtime";

    public static void AddObservability(this WebApplicationBuilder builder, GatewayOptions settings)
    {
        var usage = new UsageStoreOptions();
        builder.Configuration.GetSection(UsageStoreOptions.SectionName).Bind(usage);
        usage.Validate();
        var metrics = new MetricsOptions();
        builder.Configuration.GetSection(MetricsOptions.SectionName).Bind(metrics);
        var services = builder.Services;
        services.AddSingleton(usage);
        services.AddSingleton(metrics);
        services.AddSingleton(sp => new GatewayMetrics(sp.GetRequiredService<GatewayBackend>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new GatewayUsage(sp.GetRequiredService<GatewayBackend>(), settings, usage, sp.GetRequiredService<GatewayMetrics>(),
            sp.GetRequiredService<LogRedactor>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IForwardObserver>(sp => new UsageObserver(sp.GetRequiredService<GatewayUsage>().Store, sp.GetRequiredService<GatewayMetrics>(),
            sp.GetRequiredService<TimeProvider>()));
        if (!metrics.Enabled)
        {
            return;
        }

        services.AddOpenTelemetry().WithMetrics(meters =>
        {
            // System.Runtime: the runtime's own (GC, heap, allocated bytes, thread pool, CPU), read when scraped: no cost a request.
            meters.AddMeter(ApiKeysMetrics.MeterName, GatewayMetrics.MeterName, UsageMetrics.MeterName, RuntimeMeterName);
            meters.AddPrometheusExporter();
            if (!string.IsNullOrWhiteSpace(metrics.OtlpEndpoint))
            {
                meters.AddOtlpExporter(o => o.Endpoint = new Uri(metrics.OtlpEndpoint));
            }
        });
        if (!string.IsNullOrWhiteSpace(metrics.Urls))
        {
            AddListener(builder, settings, metrics.Urls);
        }
    }

    /// <summary>Serves <c>/metrics</c> to whom <see cref="MetricsAccess"/> allows, and opens the usage store once the gateway has started.</summary>
    public static void UseObservability(this WebApplication app)
    {
        var metrics = app.Services.GetRequiredService<MetricsOptions>();
        if (metrics.Enabled)
        {
            app.UseOpenTelemetryPrometheusScrapingEndpoint(http =>
                http.Request.Path == MetricsOptions.Path && MetricsAccess.Allowed(metrics, http.Connection.RemoteIpAddress, http.Connection.LocalPort));
        }

        // At start, so a database that cannot be opened is said at once (one line), not at the first request.
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<GatewayUsage>());
    }

    /// <summary>Adds the metrics listener beside the gateway's own addresses (which explicit Kestrel endpoints or urls set).</summary>
    private static void AddListener(WebApplicationBuilder builder, GatewayOptions settings, string urls)
    {
        var configuration = builder.Configuration;
        if (configuration.GetSection("Kestrel:Endpoints").Exists())
        {
            int i = 0;
            foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                configuration[$"Kestrel:Endpoints:ApiKeysMetrics{i++}:Url"] = url;
            }

            return;
        }

        string main = configuration["urls"] is { Length: > 0 } configured ? configured : $"http://127.0.0.1:{settings.Port}";
        builder.WebHost.UseUrls(main + ";" + urls);
    }
}
