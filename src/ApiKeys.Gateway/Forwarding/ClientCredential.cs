using Microsoft.Net.Http.Headers;

namespace ApiKeys.Gateway.Forwarding;

/// <summary>Where a client put its token: SDKs send it as <c>x-goog-api-key</c>, <c>?key=</c> or <c>Authorization: Bearer</c>.</summary>
internal static class ClientCredential
{
    public const string GoogApiKey = "x-goog-api-key";

    /// <summary>The token the client presented, or null.</summary>
    public static string? Read(HttpRequest request)
    {
        if (request.Headers.TryGetValue(GoogApiKey, out var header) && header.Count > 0 && !string.IsNullOrEmpty(header[0]))
        {
            return header[0]!.Trim();
        }

        if (IsBearer(request, out var bearer))
        {
            return bearer;
        }

        return request.Query.TryGetValue("key", out var query) && query.Count > 0 && !string.IsNullOrEmpty(query[0]) ? query[0]!.Trim() : null;
    }

    /// <summary>Whether the client authenticates as OpenAI SDKs do (<c>Authorization: Bearer</c>).</summary>
    public static bool UsesBearer(HttpRequest request) => IsBearer(request, out _);

    private static bool IsBearer(HttpRequest request, out string? token)
    {
        token = null;
        string? value = request.Headers[HeaderNames.Authorization];
        if (value is null || !value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        token = value["Bearer ".Length..].Trim();
        return token.Length > 0;
    }
}
