using System.Globalization;
using System.Text.Json;

namespace ApiKeys.Gateway.Resources;

/// <summary>
/// The resource owners file: <c>{"format": "apikeys-resources/1", "resources": [{"name", "keyId", "expires"}]}</c>: which key
/// (by id) created which file, cached content or upload, until when. Names, key ids and times only, never a key.
/// </summary>
internal static class ResourceOwnersFile
{
    public const string Format = "apikeys-resources/1";

    public static byte[] Write(IEnumerable<KeyValuePair<string, ResourceOwner>> owners)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteStartArray("resources");
            foreach (var (name, owner) in owners.OrderBy(o => o.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("name", name);
                writer.WriteString("keyId", owner.KeyId);
                writer.WriteString("expires", owner.Expires.ToUniversalTime());
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads the file's bytes, leaving out what expired by <paramref name="now"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not a resource owners file; the message names the position.</exception>
    public static Dictionary<string, ResourceOwner> Read(ReadOnlySpan<byte> bytes, string path, DateTimeOffset now)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes);
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != Format
                || !root.TryGetProperty("resources", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{path} is not a resource owners file (expected {{\"format\": \"{Format}\", \"resources\": [...]}}); it was left as it is.");
            }

            var owners = new Dictionary<string, ResourceOwner>(StringComparer.Ordinal);
            foreach (var e in list.EnumerateArray())
            {
                var owner = new ResourceOwner(e.GetProperty("keyId").GetString()!, DateTimeOffset.Parse(e.GetProperty("expires").GetString()!, CultureInfo.InvariantCulture));
                if (owner.Expires > now)
                {
                    owners[e.GetProperty("name").GetString()!] = owner;
                }
            }

            return owners;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} cannot be parsed at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}; it was left as it is.", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException or ArgumentNullException)
        {
            throw new InvalidDataException($"{path} holds an entry that cannot be read ({e.Message}); it was left as it is.", e);
        }
    }
}
