using System.Collections.Frozen;

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

    /// <summary>Whether a request header goes upstream.</summary>
    public static bool ToUpstream(string name) => !HopByHop.Contains(name) && !NotUpstream.Contains(name);

    /// <summary>Whether a response header goes to the client.</summary>
    public static bool ToClient(string name) => !HopByHop.Contains(name);
}
