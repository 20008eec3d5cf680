using System.Net;

namespace ApiKeys.Gateway.Hosting;

/// <summary>
/// Who may reach a route that can have a listener of its own (<c>/admin</c>, <c>/metrics</c>): with its own addresses,
/// whoever reaches one of their ports, and only there; else loopback clients, unless remote clients are allowed.
/// </summary>
internal static class ListenerAccess
{
    public static bool Allowed(IReadOnlyList<int> ownPorts, bool allowRemote, IPAddress? remote, int localPort) =>
        ownPorts.Count > 0 ? ownPorts.Contains(localPort) : allowRemote || remote is null || IPAddress.IsLoopback(remote);

    /// <summary>The ports of a listener's addresses (<c>;</c>-separated; <c>*</c> and <c>+</c> hosts allowed); none for null.</summary>
    public static IReadOnlyList<int> PortsOf(string? urls) => string.IsNullOrWhiteSpace(urls)
        ? []
        : [.. urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => Uri.TryCreate(u.Replace("://*", "://localhost", StringComparison.Ordinal).Replace("://+", "://localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri) ? uri.Port : -1)
            .Where(p => p > 0)];
}
