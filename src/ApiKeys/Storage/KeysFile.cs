using System.Buffers;
using System.Text.Json;
using ApiKeys.Keys;

namespace ApiKeys.Storage;

/// <summary>
/// <c>api_keys.json</c>: the seed's array of key strings (read as is), or this project's
/// <c>{"format": "apikeys/1", "keys": [...]}</c> (written).
/// </summary>
internal static class KeysFile
{
    public const string Format = "apikeys/1";

    public static (List<ApiKey> Keys, bool Seed, long Generation) Parse(ReadOnlyMemory<byte> bytes, string path, DateTimeOffset now)
    {
        using var doc = StoreFormat.Parse(bytes, path);
        var root = doc.RootElement;
        if (root.ValueKind == JsonValueKind.Array)
        {
            return (ParseSeed(root, path, now), true, 0);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw StoreFormat.Shape(path, "$", "expected an array of keys or an object with \"format\" and \"keys\"");
        }

        var format = StoreFormat.OptionalString(root, "format", path, "$");
        if (format != Format)
        {
            throw new KeyStoreException(format is null
                ? $"{path}: at $.format: missing format; expected \"{Format}\"; the file was left as it is."
                : $"{path}: at $.format: unknown format version {StoreFormat.Quote(format)} (this version reads {Format}); the file was left as it is.",
                path, format is null ? KeyStoreErrorKind.InvalidShape : KeyStoreErrorKind.UnsupportedVersion);
        }

        long generation = StoreFormat.OptionalLong(root, "generation", path, "$");
        if (!root.TryGetProperty("keys", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            throw StoreFormat.Shape(path, "$.keys", "expected an array");
        }

        var keys = new List<ApiKey>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int n = 0;
        foreach (var item in array.EnumerateArray())
        {
            string where = $"$.keys[{n++}]";
            var key = ParseKey(item, path, where, now);
            if (!ids.Add(key.Id))
            {
                throw StoreFormat.Shape(path, where, $"duplicate entry (the same key as an earlier entry, {key.Mask})");
            }

            keys.Add(key);
        }

        return (keys, false, generation);
    }

    /// <summary>The seed's file: an array of key strings (nulls and blanks skipped).</summary>
    private static List<ApiKey> ParseSeed(JsonElement root, string path, DateTimeOffset now)
    {
        var keys = new List<ApiKey>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int i = -1;
        foreach (var item in root.EnumerateArray())
        {
            i++;
            if (item.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (item.ValueKind != JsonValueKind.String)
            {
                throw StoreFormat.Shape(path, $"$[{i}]", "expected a key string");
            }

            var secret = item.GetString()!.Trim();
            if (secret.Length == 0)
            {
                continue;
            }

            var key = new ApiKey(secret, now);
            if (!ids.Add(key.Id))
            {
                throw StoreFormat.Shape(path, $"$[{i}]", $"duplicate entry (the same key as an earlier entry, {key.Mask})");
            }

            keys.Add(key);
        }

        return keys;
    }

    /// <summary>One entry of this project's format: the key and its metadata; its id, if written, must match the key.</summary>
    private static ApiKey ParseKey(JsonElement item, string path, string where, DateTimeOffset now)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw StoreFormat.Shape(path, where, "expected an object");
        }

        var secret = StoreFormat.OptionalString(item, "key", path, where);
        if (string.IsNullOrEmpty(secret))
        {
            throw StoreFormat.Shape(path, $"{where}.key", "missing key");
        }

        var key = new ApiKey(
            secret,
            StoreFormat.OptionalTime(item, "addedAt", path, where) ?? now,
            StoreFormat.OptionalString(item, "label", path, where),
            StoreFormat.OptionalString(item, "project", path, where),
            item.TryGetProperty("provider", out _) ? StoreFormat.ParseProvider(StoreFormat.OptionalString(item, "provider", path, where), path, $"{where}.provider") : null,
            StoreFormat.OptionalBool(item, "disabled", path, where));
        var id = StoreFormat.OptionalString(item, "id", path, where);
        if (id is not null && id != key.Id)
        {
            throw StoreFormat.Shape(path, $"{where}.id", "the id does not match the key (edited by hand?)");
        }

        return key;
    }

    /// <summary>The keys file's JSON, in a buffer the caller disposes: that zeroes every byte of it (it holds every secret).</summary>
    /// <param name="keys">The keys.</param>
    /// <param name="generation">The write's generation.</param>
    /// <param name="pool">Where the buffer's arrays come from; null for the shared pool.</param>
    public static SecretBufferWriter Serialize(IReadOnlyList<ApiKey> keys, long generation, ArrayPool<byte>? pool = null)
    {
        var buffer = new SecretBufferWriter(256 + (keys.Count * 200), pool);
        try
        {
            Write(buffer, keys, generation);
            return buffer;
        }
        catch
        {
            buffer.Dispose();
            throw;
        }
    }

    private static void Write(SecretBufferWriter buffer, IReadOnlyList<ApiKey> keys, long generation)
    {
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteNumber("generation", generation);
            writer.WriteStartArray("keys");
            foreach (var key in keys)
            {
                writer.WriteStartObject();
                writer.WriteString("id", key.Id);
                writer.WriteString("key", key.Secret);
                if (key.Label is not null)
                {
                    writer.WriteString("label", key.Label);
                }

                writer.WriteString("provider", StoreFormat.ProviderName(key.Provider));
                if (key.Project is not null)
                {
                    writer.WriteString("project", key.Project);
                }

                // Every digit the clock gave (100 ns): what was stored comes back exactly.
                writer.WriteString("addedAt", key.AddedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", System.Globalization.CultureInfo.InvariantCulture));
                writer.WriteBoolean("disabled", key.Disabled);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
    }
}
