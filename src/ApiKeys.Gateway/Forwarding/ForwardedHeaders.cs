using System.Collections.Frozen;
using Microsoft.Extensions.Primitives;

namespace ApiKeys.Gateway.Forwarding;

/// <summary>Which headers cross the gateway, each way.</summary>
internal static class ForwardedHeaders
{
    /// <summary>Hop-by-hop headers (RFC 9110 7.6.1) and those the transport sets: never copied either way.</summary>
    public static readonly FrozenSet<string> HopByHop = new[]
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Transfer-Encoding", "TE", "Trailer", "Upgrade",
        "Proxy-Authenticate", "Proxy-Authorization", "Host", "Content-Length", "Expect",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Not sent upstream: the client's credentials (the pool's key replaces them) and Accept-Encoding (the gateway streams
    /// bodies as they come and must read error bodies to classify them: no compression on either leg).
    /// </summary>
    public static readonly FrozenSet<string> NotUpstream = new[]
    {
        "Authorization", ClientCredential.GoogApiKey, "Accept-Encoding", "Cookie",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether a request header goes upstream; <paramref name="connection"/> is the request's <c>Connection</c> header.</summary>
    public static bool ToUpstream(string name, StringValues connection) =>
        !HopByHop.Contains(name) && !NotUpstream.Contains(name) && !NamedIn(connection, name);

    /// <summary>Whether a response header goes to the client; <paramref name="connection"/> is the response's <c>Connection</c> header.</summary>
    public static bool ToClient(string name, StringValues connection) => !HopByHop.Contains(name) && !NamedIn(connection, name);

    /// <summary>
    /// Whether a <c>Connection</c> header (each value a comma-separated list) names <paramref name="name"/>: such a header is
    /// hop-by-hop for that message alone (RFC 9110 7.6.1), meant for the gateway, not for the next hop.
    /// </summary>
    public static bool NamedIn(StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            if (value is null)
            {
                continue;
            }

            foreach (var range in value.AsSpan().Split(','))
            {
                if (value.AsSpan()[range].Trim(" \t").Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
