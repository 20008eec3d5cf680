using ApiKeys.Gateway.Logging;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace ApiKeys.Gateway.Hosting;

/// <summary>What happens at start (one line with the addresses) and at shutdown (drain, then flush the key states).</summary>
internal static class Lifecycle
{
    public static void Attach(WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("ApiKeys.Gateway");
        var inFlight = app.Services.GetRequiredService<InFlightRequests>();
        var options = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        app.Lifetime.ApplicationStarted.Register(() => Started(app, logger, options));
        app.Lifetime.ApplicationStopping.Register(() => GatewayLog.Draining(logger, options.DrainTimeout.TotalSeconds, inFlight.Count));
        app.Lifetime.ApplicationStopped.Register(() =>
        {
            try
            {
                app.Services.GetRequiredService<GatewayBackend>().Flush();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                GatewayLog.FlushFailed(logger, e.Message);
            }

            GatewayLog.Stopped(logger, inFlight.Count);
        });
    }

    private static void Started(WebApplication app, ILogger logger, GatewayOptions options)
    {
        var backend = app.Services.GetRequiredService<GatewayBackend>();
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        string listening = string.Join(", ", addresses);
        string upstream = options.UpstreamUri.ToString();
        GatewayLog.Listening(logger, listening, upstream, backend.Description);
        try
        {
            if (backend.Tokens.ListAsync().AsTask().GetAwaiter().GetResult().Count == 0)
            {
                GatewayLog.NoClientTokens(logger);
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or StackExchange.Redis.RedisException)
        {
            // /readyz says what is wrong with the tokens.
        }
    }
}
