using ApiKeys.Gateway.Admin;
using ApiKeys.Gateway.Endpoints;
using ApiKeys.Gateway.Hosting;
using ApiKeys.Gateway.Logging;
using ApiKeys.Redis;
using ApiKeys.Security;
using ApiKeys.Storage;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.Options;

namespace ApiKeys.Gateway;

/// <summary>
/// Starts the gateway: <c>dotnet run --project src/ApiKeys.Gateway</c> and <c>apikeys serve</c> both come here. Configured by
/// appsettings.json (in the current directory), <c>APIKEYS__...</c> environment variables and the command line
/// (<c>--urls</c>, <c>--port</c>, <c>--upstream</c>, <c>--dir</c>, <c>--redis</c>, <c>--pool</c>, or any <c>--Section:Key value</c>).
/// Listens on 127.0.0.1:8080 unless told otherwise.
/// </summary>
public static class GatewayApp
{
    /// <summary>The environment variables' prefix: <c>APIKEYS__GATEWAY__UPSTREAM</c> is <c>Gateway:Upstream</c>.</summary>
    public const string EnvironmentPrefix = "APIKEYS__";

    /// <summary>The short command-line options and the settings they set.</summary>
    public static IReadOnlyDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["--upstream"] = "Gateway:Upstream",
        ["--dir"] = "Gateway:Directory",
        ["--redis"] = "Gateway:Redis",
        ["--pool"] = "Gateway:RedisPool",
        ["--port"] = "Gateway:Port",
        ["--passphrase-file"] = "Gateway:PassphraseFile",
    };

    /// <summary>Settings every other source overrides: ASP.NET Core's per-request information lines are off (the access log says it).</summary>
    private static Dictionary<string, string?> Defaults { get; } = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>Runs the gateway until it is stopped (Ctrl-C, SIGTERM); returns the exit code (1 with one line on stderr when it cannot start).</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        error ??= Console.Error;
        WebApplication app;
        try
        {
            app = Build(args);
            // Open the store now, so a start-up problem is said at once and not at the first request.
            app.Services.GetRequiredService<GatewayBackend>();
        }
        catch (Exception e) when (e is KeyStoreException or OptionsValidationException or RedisKeyPoolUnavailableException or IOException or InvalidOperationException)
        {
            await error.WriteLineAsync("apikeys gateway: " + ClientRedact(e.Message)).ConfigureAwait(false);
            return 1;
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.RunAsync().ConfigureAwait(false);
                return 0;
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or System.Security.Cryptography.CryptographicException)
            {
                // The address is in use, a certificate cannot be read: one line, no stack trace.
                await error.WriteLineAsync("apikeys gateway: " + ClientRedact(e.Message)).ConfigureAwait(false);
                return 1;
            }
        }
    }

    /// <summary>Builds the gateway (not started): the host, its services and its routes.</summary>
    public static WebApplication Build(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        // Settings are read once, at start: no watch on appsettings.json, which would watch the whole current directory tree
        // (a thread woken by every file written under it, the gateway's own logs and databases included). A later
        // --hostBuilder:reloadConfigOnChange on the command line still wins.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false", .. args] });
        // Defaults under every other source (appsettings.json, environment, command line can change them).
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = Defaults });
        builder.Configuration.AddEnvironmentVariables(EnvironmentPrefix);
        builder.Configuration.AddCommandLine(args, SwitchMappings.ToDictionary());
        var settings = new GatewayOptions();
        builder.Configuration.GetSection(GatewayOptions.SectionName).Bind(settings);

        var redactor = new LogRedactor();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new GatewayConsoleLoggerProvider(redactor));
        // The hosting layer's "Request starting" lines carry URLs with their query (?key=...): the access log replaces them.
        // None, not Warning: while any level of this category is on, the host starts an Activity and a log scope for every
        // request (and HttpClient then a child Activity and a traceparent header upstream), which nothing here reads. An
        // OpenTelemetry listener, when one is added, still gets its activities.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);

        // TLS from configuration (Kestrel:Endpoints:...:Certificate), which the slim builder leaves out unless asked.
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The gateway's own limit (Gateway:MaxRequestBodyBytes) governs, answered in the route's error shape.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        if (!HasAddress(builder.Configuration))
        {
            builder.WebHost.UseUrls($"http://127.0.0.1:{settings.Port}");
        }

        builder.Services.AddGateway(builder.Configuration, redactor, settings.DrainTimeout, settings.AccessLog);
        builder.AddObservability(settings);
        builder.AddAdmin(settings);
        var app = builder.Build();
        app.UseObservability();
        app.MapHealth();
        app.MapGemini();
        app.MapOpenAi();
        app.MapResources();
        app.MapAdmin();
        app.MapNotFound();
        Lifecycle.Attach(app);
        return app;
    }

    private static bool HasAddress(ConfigurationManager configuration) =>
        !string.IsNullOrEmpty(configuration["urls"]) || !string.IsNullOrEmpty(configuration["http_ports"]) || !string.IsNullOrEmpty(configuration["https_ports"])
        || configuration.GetSection("Kestrel:Endpoints").Exists();

    private static string ClientRedact(string text) => Tokens.ClientTokenFormat.Redact(SecretRedactor.Default.Redact(text));
}
