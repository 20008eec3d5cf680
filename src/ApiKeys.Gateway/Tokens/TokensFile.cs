using System.Globalization;
using System.Text.Json;

namespace ApiKeys.Gateway.Tokens;

/// <summary>
/// The tokens file: <c>{"format": "apikeys-tokens/1", "tokens": [{"name", "hash", "models", "rpm", "rpd", "concurrency",
/// "createdAt", "expiresAt"}]}</c>. One token is one JSON object, also as Redis keeps it.
/// </summary>
internal static class TokensFile
{
    public const string Format = "apikeys-tokens/1";

    public static byte[] Write(IEnumerable<ClientToken> tokens)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteStartArray("tokens");
            foreach (var token in tokens.OrderBy(t => t.Name, StringComparer.Ordinal))
            {
                WriteToken(writer, token);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    /// <summary>Reads the file's bytes.</summary>
    /// <exception cref="InvalidDataException">The file is not a tokens file; the message names the position.</exception>
    public static List<ClientToken> Read(ReadOnlySpan<byte> bytes, string path)
    {
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            using var doc = JsonDocument.ParseValue(ref reader);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.GetString() != Format
                || !root.TryGetProperty("tokens", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"{path} is not a tokens file (expected {{\"format\": \"{Format}\", \"tokens\": [...]}}); it was left as it is.");
            }

            return [.. list.EnumerateArray().Select(ReadToken)];
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} cannot be parsed at line {e.LineNumber + 1}, position {e.BytePositionInLine + 1}; it was left as it is.", e);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{path} holds a token entry that cannot be read ({e.Message}); it was left as it is.", e);
        }
    }

    public static string WriteOne(ClientToken token)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteToken(writer, token);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static ClientToken ReadOne(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ReadToken(doc.RootElement);
    }

    private static void WriteToken(Utf8JsonWriter writer, ClientToken token)
    {
        writer.WriteStartObject();
        writer.WriteString("name", token.Name);
        writer.WriteString("hash", token.Hash);
        if (token.Models is { } models)
        {
            writer.WriteStartArray("models");
            foreach (var m in models)
            {
                writer.WriteStringValue(m);
            }

            writer.WriteEndArray();
        }

        WriteNumber(writer, "rpm", token.RequestsPerMinute);
        WriteNumber(writer, "rpd", token.RequestsPerDay);
        WriteNumber(writer, "concurrency", token.MaxConcurrency);
        writer.WriteString("createdAt", token.CreatedAt);
        if (token.ExpiresAt is { } end)
        {
            writer.WriteString("expiresAt", end);
        }

        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
    }

    private static ClientToken ReadToken(JsonElement e) => new()
    {
        Name = e.GetProperty("name").GetString() ?? throw new FormatException("a token without a name"),
        Hash = e.GetProperty("hash").GetString() ?? throw new FormatException("a token without a hash"),
        Models = e.TryGetProperty("models", out var m) && m.ValueKind == JsonValueKind.Array ? [.. m.EnumerateArray().Select(x => x.GetString() ?? "")] : null,
        RequestsPerMinute = Number(e, "rpm"),
        RequestsPerDay = Number(e, "rpd"),
        MaxConcurrency = Number(e, "concurrency"),
        CreatedAt = e.TryGetProperty("createdAt", out var c) ? DateTimeOffset.Parse(c.GetString()!, CultureInfo.InvariantCulture) : default,
        ExpiresAt = e.TryGetProperty("expiresAt", out var x) && x.ValueKind == JsonValueKind.String ? DateTimeOffset.Parse(x.GetString()!, CultureInfo.InvariantCulture) : null,
    };

    private static int? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;
}
