using System.Net;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace ApiKeys.Gateway.Forwarding;

/// <summary>Builds the request sent upstream: the same method, body bytes and headers, minus the client's token wherever it was.</summary>
internal static class UpstreamRequest
{
    public static HttpRequestMessage Create(HttpRequest request, UpstreamAddresses addresses, ForwardRoute route, ReadOnlyMemory<byte> body, ForwardContext context)
    {
        var address = addresses.Of(route, QueryWithoutKey(request.QueryString.Value));
        var message = new HttpRequestMessage(HttpMethod.Parse(request.Method), address);
        if (address.Scheme == Uri.UriSchemeHttps)
        {
            // Google speaks HTTP/2: one connection carries many streams.
            message.Version = HttpVersion.Version20;
            message.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        }

        if (!body.IsEmpty || HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method))
        {
            message.Content = new ReadOnlyMemoryContent(body);
        }

        var connection = request.Headers.Connection;
        foreach (var header in request.Headers)
        {
            // The client's token goes nowhere upstream, whatever header a client put it in.
            if (!ForwardedHeaders.ToUpstream(header.Key, connection) || HoldsToken(header.Value))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value))
            {
                message.Content?.Headers.TryAddWithoutValidation(header.Key, (IEnumerable<string?>)header.Value);
            }
        }

        message.Options.Set(ForwardContext.OptionKey, context);
        return message;
    }

    private static bool HoldsToken(StringValues values)
    {
        foreach (var value in values)
        {
            if (value?.Contains(Tokens.ClientTokenFormat.Prefix, StringComparison.Ordinal) == true)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The query string without <c>key</c> (the client's token; the pool's key goes in a header, never in a URL).</summary>
    public static string QueryWithoutKey(string? query)
    {
        if (string.IsNullOrEmpty(query) || query == "?")
        {
            return "";
        }

        // ASP.NET Core reads ?KEY= and ?%6Bey= as ?key= too (the token is accepted from them): they go as well.
        if (!query.Contains("key", StringComparison.OrdinalIgnoreCase) && !query.Contains('%', StringComparison.Ordinal))
        {
            return query;
        }

        var kept = new StringBuilder(query.Length);
        foreach (var part in query.AsSpan(1).Split('&'))
        {
            var pair = query.AsSpan(1)[part];
            int eq = pair.IndexOf('=');
            var name = eq < 0 ? pair : pair[..eq];
            if (pair.IsEmpty || string.Equals(Uri.UnescapeDataString(name.ToString().Replace('+', ' ')), "key", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            kept.Append(kept.Length == 0 ? '?' : '&').Append(pair);
        }

        return kept.ToString();
    }
}
