using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ApiKeys.Gateway.Resources;

/// <summary>Finds the names of Gemini resources in bodies: the ones a request uses, and the one a response created.</summary>
internal static partial class ResourceNames
{
    /// <summary>
    /// How long a resource is remembered when its answer names no end: an uploaded file lives 48 hours at Google; a cached
    /// content's answer always carries its <c>expireTime</c>. Remembering too long is harmless (the name is never reused).
    /// </summary>
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(48);

    /// <summary>Added to the end a response names, for a clock here slightly behind Google's.</summary>
    public static readonly TimeSpan ClockSlack = TimeSpan.FromMinutes(5);

    /// <summary>The resources a request body names (<c>cachedContents/x</c>, <c>files/x</c> also inside a file URI).</summary>
    public static IReadOnlyList<string> UsedBy(ReadOnlySpan<byte> body)
    {
        if (body.IndexOf("cachedContents/"u8) < 0 && body.IndexOf("files/"u8) < 0)
        {
            return [];
        }

        return [.. Named().Matches(Encoding.UTF8.GetString(body)).Select(m => m.Value).Distinct(StringComparer.Ordinal)];
    }

    /// <summary>
    /// The resource a JSON response created or renewed: its <c>name</c>, or <c>file.name</c> (an upload's answer), with when
    /// it ends when the response says (a cached content's <c>expireTime</c>, a file's <c>expirationTime</c>).
    /// </summary>
    public static CreatedResource? CreatedBy(ReadOnlySpan<byte> json)
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

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String
                || !Named().IsMatch(name.GetString()!))
            {
                return null;
            }

            return new CreatedResource(name.GetString()!, Time(root, "expireTime") ?? Time(root, "expirationTime"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DateTimeOffset? Time(JsonElement e, string property) =>
        e.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    [GeneratedRegex("(?:cachedContents|files)/[A-Za-z0-9_-]+", RegexOptions.CultureInvariant)]
    private static partial Regex Named();
}
