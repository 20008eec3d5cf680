using System.Net;

namespace ApiKeys.Redis;

/// <summary>Redis endpoints as messages show them: <c>host:port</c>, never a credential.</summary>
internal static class RedisEndpoints
{
    /// <summary>
    /// The endpoints, comma-separated. StackExchange.Redis reads no URL: given <c>redis://:password@host</c> it takes the
    /// whole text as a host name, so what precedes <c>@</c> in a host is shown as <c>***</c>.
    /// </summary>
    public static string Describe(IEnumerable<EndPoint> endpoints) => string.Join(", ", endpoints.Select(Describe));

    private static string Describe(EndPoint endpoint)
    {
        if (endpoint is not DnsEndPoint dns)
        {
            return endpoint.ToString() ?? "?";
        }

        int at = dns.Host.LastIndexOf('@');
        string host = at < 0 ? dns.Host : string.Concat("***", dns.Host.AsSpan(at));
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{host}:{dns.Port}");
    }
}
