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

        if (OtherEncoding(bytes.Span) is { } encoding)
        {
            throw new KeyStoreException($"{path}: the file is {encoding} encoded; the store reads UTF-8: save it as UTF-8. It was left as it is.",
                path, KeyStoreErrorKind.Corrupt, reason: $"{encoding} encoded, not UTF-8");
        }

        if (bytes.Span.StartsWith(Utf8Bom))
        {
            // Some editors start UTF-8 files with a byte order mark; the JSON reader does not skip it.
            bytes = bytes[Utf8Bom.Length..];
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
            string reason = "not valid JSON (truncated or damaged)";
            if (e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase))
            {
                reason = $"nested deeper than {MaxDepth} levels";
            }
            else if (e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase))
            {
                // The reader gives no position for a duplicate property (and its message names the property, maybe a key).
                var (name, offset) = FindDuplicate(bytes.Span);
                (line, column) = Position(bytes.Span, offset);
                reason = $"the property {Quote(name)} appears twice";
            }

            throw new KeyStoreException($"{path}: line {line}, column {column}: {reason}; the file was left as it is.", path, KeyStoreErrorKind.Corrupt, line, column, e,
                $"line {line}, column {column}: {reason}");
        }
    }

    public static KeyStoreException Shape(string path, string where, string problem) =>
        new($"{path}: at {where}: {problem}; the file was left as it is.", path, KeyStoreErrorKind.InvalidShape, reason: $"at {where}: {problem}");

    /// <summary>A shape error at a known position (the file's bytes as read, a byte offset in them).</summary>
    public static KeyStoreException Shape(string path, string where, string problem, ReadOnlySpan<byte> bytes, long offset)
    {
        var (line, column) = Position(SkipBom(bytes), offset);
        return new($"{path}: line {line}, column {column} (at {where}): {problem}; the file was left as it is.", path, KeyStoreErrorKind.InvalidShape, line, column,
            reason: $"line {line}, column {column} (at {where}): {problem}");
    }

    /// <summary>The byte offset of the root object's <paramref name="index"/>-th property name (0-based), -1 if there is none.</summary>
    public static long RootPropertyOffset(ReadOnlySpan<byte> bytes, int index)
    {
        var reader = new Utf8JsonReader(SkipBom(bytes), new JsonReaderOptions { MaxDepth = MaxDepth });
        int seen = 0;
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && seen++ == index)
            {
                return reader.TokenStartIndex;
            }
        }

        return -1;
    }

    /// <summary>A value from a file, quoted for an error message (see <see cref="Safe"/>).</summary>
    public static string Quote(string? value) => value is null ? "null" : $"'{Safe(value)}'";

    /// <summary>
    /// A value from a file, fit for an error message: short lower-case words (a provider, a kind, a model, a format) as they
    /// are, anything that could be a key masked (a key pasted in the wrong field must not reach a terminal or a log).
    /// </summary>
    public static string Safe(string value)
    {
        int run = 0;
        bool plain = value.Length <= 24;
        foreach (char c in value)
        {
            bool word = c is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            run = word ? run + 1 : 0;
            plain &= (word || c is '-' or '_' or '.' or '/' or ' ') && run < 12;
        }

        return plain ? value : KeyMask.Mask(value);
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    private static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Utf8Bom) ? bytes[Utf8Bom.Length..] : bytes;

    /// <summary>UTF-16 or UTF-32, by the byte order mark or, without one, by the zero bytes around the first character.</summary>
    private static string? OtherEncoding(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0, 0]) || b.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))
        {
            return "UTF-32";
        }

        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return "UTF-16";
        }

        // JSON starts with an ASCII character: UTF-16 puts a zero byte beside it.
        return b.Length >= 2 && (b[0] == 0) != (b[1] == 0) ? "UTF-16 (without a byte order mark)" : null;
    }

    /// <summary>The 1-based line and byte column of <paramref name="offset"/> (the end of the text when it is out of range).</summary>
    private static (long Line, long Column) Position(ReadOnlySpan<byte> bytes, long offset)
    {
        var before = bytes[..(int)Math.Clamp(offset, 0, bytes.Length)];
        int lastNewline = before.LastIndexOf((byte)'\n');
        return (before.Count((byte)'\n') + 1, before.Length - lastNewline);
    }

    /// <summary>The first property name that repeats one of its object, and where the repeat starts.</summary>
    private static (string? Name, long Offset) FindDuplicate(ReadOnlySpan<byte> bytes)
    {
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = MaxDepth });
        var names = new Stack<HashSet<string>>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        names.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.EndObject:
                        names.Pop();
                        break;
                    case JsonTokenType.PropertyName when !names.Peek().Add(reader.GetString()!):
                        return (reader.GetString(), reader.TokenStartIndex);
                }
            }
        }
        catch (JsonException)
        {
            // Not reached for a file the document reader found only a duplicate in.
        }

        return (null, 0);
    }

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

            // Decimal when it fits: every digit written comes back (a double would cut below the microsecond).
            long ticks = value.TryGetDecimal(out decimal exact)
                ? (long)Math.Round(exact * TimeSpan.TicksPerSecond)
                : (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
            return DateTimeOffset.UnixEpoch.AddTicks(ticks);
        }

        if (value.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        throw Shape(path, $"{where}.{name}", "expected a time (unix seconds)");
    }

    /// <summary>Writes a time as unix seconds with every digit it has (100 ns); nothing when there is none.</summary>
    public static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            writer.WriteNumber(name, UnixSeconds(t));
        }
    }

    /// <summary>Writes a time as unix seconds with every digit it has; null when there is none.</summary>
    public static void WriteTimeOrNull(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            writer.WriteNumber(name, UnixSeconds(t));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static decimal UnixSeconds(DateTimeOffset time) =>
        (decimal)(time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / TimeSpan.TicksPerSecond;

    public static KeyProvider ParseProvider(string? value, string path, string where) => value switch
    {
        null => KeyProvider.Generic,
        "gemini" => KeyProvider.Gemini,
        "openai" => KeyProvider.OpenAI,
        "anthropic" => KeyProvider.Anthropic,
        "generic" => KeyProvider.Generic,
        _ => throw Shape(path, where, $"unknown provider {Quote(value)}"),
    };

    public static string ProviderName(KeyProvider provider) => provider switch
    {
        KeyProvider.Gemini => "gemini",
        KeyProvider.OpenAI => "openai",
        KeyProvider.Anthropic => "anthropic",
        _ => "generic",
    };
}
