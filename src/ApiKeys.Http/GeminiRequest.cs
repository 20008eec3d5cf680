using System.Text.RegularExpressions;

namespace ApiKeys.Http;

/// <summary>What the handler reads from a request's URL: the model, and a key that must not travel there.</summary>
internal static partial class GeminiRequest
{
    /// <summary>The model in <c>/v1beta/models/{model}:{method}</c> (or <c>/models/{model}</c>); null when there is none.</summary>
    public static string? Model(Uri? uri)
    {
        if (uri is null)
        {
            return null;
        }

        string path = uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString;
        int at = path.IndexOf("/models/", StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var rest = path.AsSpan(at + "/models/".Length);
        int end = rest.IndexOfAny(':', '/', '?');
        var model = end < 0 ? rest : rest[..end];
        return model.IsEmpty ? null : Uri.UnescapeDataString(model.ToString());
    }

    /// <summary>The URI without a <c>key=</c> query parameter (keys go in a header: URLs end up in logs and proxies).</summary>
    public static Uri? WithoutKeyInQuery(Uri? uri)
    {
        if (uri is null || !uri.IsAbsoluteUri || !uri.OriginalString.Contains("key", StringComparison.Ordinal) || uri.Query.Length < 2 || !KeyParameter().IsMatch(uri.Query))
        {
            return uri;
        }

        var kept = uri.Query[1..].Split('&').Where(p => !p.StartsWith("key=", StringComparison.Ordinal) && p != "key");
        var builder = new UriBuilder(uri) { Query = string.Join('&', kept) };
        return builder.Uri;
    }

    [GeneratedRegex(@"[?&]key(=|&|$)", RegexOptions.CultureInvariant)]
    private static partial Regex KeyParameter();
}
