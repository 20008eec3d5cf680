using System.Globalization;
using System.Text.Json;
using ApiKeys.Keys;

namespace ApiKeys.Storage;

/// <summary>Shared reading helpers of the store's JSON files: every problem becomes a <see cref="KeyStoreException"/> naming the file and the position.</summary>
internal static class StoreFormat
{
    public const int MaxDepth = 16;

    public static JsonDocument Parse(ReadOnlyMemory<byte> bytes, string path)
    {
        if (bytes.Length == 0)
        {
            throw new KeyStoreException($"{path}: the file is empty (truncated?); it was left as it is.", path, KeyStoreErrorKind.Corrupt, 1, 1);
        }

        try
        {
            return JsonDocument.Parse(bytes, new JsonDocumentOptions
            {
                MaxDepth = MaxDepth,
                AllowTrailingCommas = false,
                CommentHandling = JsonCommentHandling.Disallow,
                AllowDuplicateProperties = false,
            });
        }
        catch (JsonException e)
        {
            long line = (e.LineNumber ?? 0) + 1;
            long column = (e.BytePositionInLine ?? 0) + 1;
            string reason = e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
                ? $"nested deeper than {MaxDepth} levels"
                : e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase)
                    ? "a property appears twice"
                    : "not valid JSON (truncated or damaged)";
            throw new KeyStoreException($"{path}: line {line}, column {column}: {reason}; the file was left as it is.", path, KeyStoreErrorKind.Corrupt, line, column, e);
        }
    }

    public static KeyStoreException Shape(string path, string where, string problem) =>
        new($"{path}: at {where}: {problem}; the file was left as it is.", path, KeyStoreErrorKind.InvalidShape);

    public static string? OptionalString(JsonElement obj, string name, string path, string where)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Shape(path, $"{where}.{name}", "expected a string");
        }

        return value.GetString();
    }

    public static long OptionalLong(JsonElement obj, string name, string path, string where, long fallback = 0)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return fallback;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long n) || n < 0)
        {
            throw Shape(path, $"{where}.{name}", "expected a whole number of at least 0");
        }

        return n;
    }

    public static bool OptionalBool(JsonElement obj, string name, string path, string where)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return false;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Shape(path, $"{where}.{name}", "expected true or false"),
        };
    }

    /// <summary>A time as unix seconds (the seed's unit, fractions allowed) or an ISO 8601 string; 0 or absent: none.</summary>
    public static DateTimeOffset? OptionalTime(JsonElement obj, string name, string path, string where)
    {
        if (!obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out double seconds) && double.IsFinite(seconds))
        {
            if (seconds <= 0)
            {
                return null;
            }

            if (seconds > 253402300799)
            {
                throw Shape(path, $"{where}.{name}", "a time past the year 9999");
            }

            return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        throw Shape(path, $"{where}.{name}", "expected a time (unix seconds)");
    }

    public static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            writer.WriteNumber(name, t.ToUnixTimeMilliseconds() / 1000.0);
        }
    }

    public static KeyProvider ParseProvider(string? value, string path, string where) => value switch
    {
        null => KeyProvider.Generic,
        "gemini" => KeyProvider.Gemini,
        "openai" => KeyProvider.OpenAI,
        "anthropic" => KeyProvider.Anthropic,
        "generic" => KeyProvider.Generic,
        _ => throw Shape(path, where, $"unknown provider '{value}'"),
    };

    public static string ProviderName(KeyProvider provider) => provider switch
    {
        KeyProvider.Gemini => "gemini",
        KeyProvider.OpenAI => "openai",
        KeyProvider.Anthropic => "anthropic",
        _ => "generic",
    };
}
