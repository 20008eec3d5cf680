using System.Text.RegularExpressions;

namespace ApiKeys.Http;

/// <summary>What the handler reads from a request: the model (in the URL, else in the JSON body), and a key that must not travel in the URL.</summary>
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

    /// <summary>Whether <paramref name="content"/> says it is JSON (or says nothing): the only bodies scanned for a model.</summary>
    public static bool IsJson(HttpContent? content) =>
        content is not null && (content.Headers.ContentType?.MediaType is not { } type || type.Contains("json", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The body's top-level <c>"model"</c> (OpenAI-style requests), read from replayable content: its own bytes or its buffer
    /// are written once into a <see cref="JsonModelScanner"/>, which keeps nothing but the model.
    /// </summary>
    public static async ValueTask<string?> ModelInBodyAsync(HttpContent content, bool async, CancellationToken cancellationToken)
    {
        using var scanner = new JsonModelScanner();
        if (async)
        {
            await content.CopyToAsync(scanner, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            content.CopyTo(scanner, null, cancellationToken);
        }

        return scanner.Model;
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
