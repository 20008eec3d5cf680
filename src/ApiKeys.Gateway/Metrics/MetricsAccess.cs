using System.Net;

namespace ApiKeys.Gateway.Metrics;

/// <summary>Who may read <c>/metrics</c>: on a listener of its own (<see cref="MetricsOptions.Urls"/>), whoever reaches that port, and only there; else loopback clients, unless <see cref="MetricsOptions.AllowRemote"/>.</summary>
internal static class MetricsAccess
{
    public static bool Allowed(MetricsOptions options, IPAddress? remote, int localPort) =>
        Hosting.ListenerAccess.Allowed(options.Ports, options.AllowRemote, remote, localPort);
}
