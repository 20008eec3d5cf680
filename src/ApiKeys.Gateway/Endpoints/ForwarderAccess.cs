using ApiKeys.Gateway.Forwarding;

namespace ApiKeys.Gateway.Endpoints;

/// <summary>
/// The forwarding routes' <see cref="Forwarder"/>, taken from the application's services once, at the first request.
/// Not a handler parameter: a service parameter makes every request create (and dispose) a request scope, and on a POST
/// route the generated handler asks the container at each request whether the parameter is a service or the JSON body.
/// </summary>
internal static class ForwarderAccess
{
    /// <summary>The forwarder of <paramref name="app"/>'s services; resolved on first use (not at mapping, which would open the store).</summary>
    public static Lazy<Forwarder> LazyForwarder(this IEndpointRouteBuilder app) =>
        new(() => app.ServiceProvider.GetRequiredService<Forwarder>(), LazyThreadSafetyMode.PublicationOnly);
}
