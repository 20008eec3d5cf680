using System.Collections.Frozen;
using System.Security.Cryptography;

namespace ApiKeys.Gateway.Admin;

/// <summary>
/// The dashboard's static files (htmx, uPlot, dashboard.js and .css; see Assets/README.md), embedded in the assembly (the
/// NativeAOT binary is one file) and served from memory with a content hash in the URL and a year of immutable caching.
/// </summary>
internal static class AdminAssets
{
    public const string Htmx = "htmx-2.0.11.min.js";
    public const string UPlot = "uplot-1.6.32.min.js";
    public const string UPlotCss = "uplot-1.6.32.min.css";
    public const string Script = "dashboard.js";
    public const string Style = "dashboard.css";

    private static readonly FrozenDictionary<string, Asset> Files = Load();

    /// <summary>The URL of <paramref name="name"/>, versioned by its content.</summary>
    public static string Url(string name) => $"/admin/assets/{name}?v={Files[name].Version}";

    public static IResult Serve(string name, HttpContext http)
    {
        if (!Files.TryGetValue(name, out var asset))
        {
            return TypedResults.NotFound();
        }

        http.Response.Headers.CacheControl = "public, max-age=31536000, immutable";
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    private static FrozenDictionary<string, Asset> Load()
    {
        var assembly = typeof(AdminAssets).Assembly;
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var name in new[] { Htmx, UPlot, UPlotCss, Script, Style })
        {
            using var stream = assembly.GetManifestResourceStream("admin/" + name)
                ?? throw new InvalidOperationException($"the dashboard's file {name} is not embedded in {assembly.GetName().Name}");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            byte[] content = copy.ToArray();
            string type = name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
            files[name] = new Asset(content, type, Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
        }

        return files.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record Asset(byte[] Content, string ContentType, string Version);
}
