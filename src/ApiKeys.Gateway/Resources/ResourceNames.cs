using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ApiKeys.Gateway.Resources;

/// <summary>Finds the names of Gemini resources in bodies: the ones a request uses, and the one a response created.</summary>
internal static partial class ResourceNames
{
    /// <summary>How long an uploaded file lives at Google (48 hours); cached contents are remembered as long.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(48);

    /// <summary>The resources a request body names (<c>cachedContents/x</c>, <c>files/x</c> also inside a file URI).</summary>
    public static IReadOnlyList<string> UsedBy(ReadOnlySpan<byte> body)
    {
        if (body.IndexOf("cachedContents/"u8) < 0 && body.IndexOf("files/"u8) < 0)
        {
            return [];
        }

        return [.. Named().Matches(Encoding.UTF8.GetString(body)).Select(m => m.Value).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The resource a JSON response created: its <c>name</c>, or <c>file.name</c> (an upload's answer).</summary>
    public static string? CreatedBy(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("file", out var file) && file.ValueKind == JsonValueKind.Object)
            {
                root = file;
            }

            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                && Named().IsMatch(name.GetString()!) ? name.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex("(?:cachedContents|files)/[A-Za-z0-9_-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Named();
}
