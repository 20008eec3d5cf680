using System.Runtime.CompilerServices;

namespace ApiKeys.Gateway.Forwarding;

/// <summary>
/// The upstream addresses of routes: the upstream (ending with '/') and the route's path, and the request's query. One parse
/// of the whole address, not two; and none for a route object that serves many requests (<see cref="ForwardRoute.Reused"/>)
/// when the request has no query (a <see cref="Uri"/> is immutable, and what HttpClient computes from it, such as its path
/// and query, is kept in it).
/// </summary>
/// <remarks>
/// Routes are remembered by reference (a route object lives as long as its endpoint, or its request), not by value: the
/// table holds no route alive.
/// </remarks>
internal sealed class UpstreamAddresses(Uri upstream)
{
    private readonly ConditionalWeakTable<ForwardRoute, Uri> _parsed = [];

    /// <summary>The address of <paramref name="route"/> with <paramref name="query"/> (with its '?', or empty).</summary>
    public Uri Of(ForwardRoute route, string query)
    {
        // A route object made for one request is not remembered: the table would only gather dead entries.
        if (query.Length > 0 || !route.Reused)
        {
            return Parse(route, query);
        }

        return _parsed.TryGetValue(route, out var address) ? address : _parsed.GetValue(route, r => Parse(r, ""));
    }

    private Uri Parse(ForwardRoute route, string query) =>
        new(string.Concat(upstream.OriginalString, route.UpstreamPath, query), UriKind.Absolute);
}
