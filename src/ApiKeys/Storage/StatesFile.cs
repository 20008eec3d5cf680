using System.Buffers;
using System.Text.Json;
using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Storage;

/// <summary>
/// <c>api_key_states.json</c>: the seed's object keyed by raw key (read as is, converted to ids), or this
/// project's <c>{"format": "apikeys-states/1", "generation": n, "states": {"&lt;id&gt;": {...}}}</c>, which holds no secret.
/// The seed's field names and units (<c>blocked_until</c>, <c>failures</c>, <c>last_failed</c>, unix seconds) are kept.
/// </summary>
internal static partial class StatesFile
{
    public const string Format = "apikeys-states/1";

    /// <summary>
    /// The epoch of a store that was never rotated: no states file, the seed's file, or a file without <c>epoch</c>
    /// (written so: the field appears at the first rotation).
    /// </summary>
    public const string SeedEpoch = "seed";

    public sealed record Content(Dictionary<string, KeyState> States, long Generation, string Epoch, bool Seed);

    public static Content Parse(ReadOnlyMemory<byte> bytes, string path)
    {
        using var doc = StoreFormat.Parse(bytes, path);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw StoreFormat.Shape(path, "$", "expected an object");
        }

        if (!root.TryGetProperty("format", out var formatElement))
        {
            return new(ParseSeed(root, bytes, path), 0, SeedEpoch, true);
        }

        var format = formatElement.ValueKind == JsonValueKind.String ? formatElement.GetString() : null;
        if (format != Format)
        {
            throw new KeyStoreException($"{path}: at $.format: unknown format version {StoreFormat.Quote(format)} (this version reads {Format}); the file was left as it is.",
                path, KeyStoreErrorKind.UnsupportedVersion);
        }

        long generation = StoreFormat.OptionalLong(root, "generation", path, "$");
        string epoch = StoreFormat.OptionalString(root, "epoch", path, "$") ?? SeedEpoch;
        var states = new Dictionary<string, KeyState>(StringComparer.Ordinal);
        if (root.TryGetProperty("states", out var map))
        {
            if (map.ValueKind != JsonValueKind.Object)
            {
                throw StoreFormat.Shape(path, "$.states", "expected an object keyed by key id");
            }

            foreach (var property in map.EnumerateObject())
            {
                string where = $"$.states['{StoreFormat.Safe(property.Name)}']";
                if (!KeyIds.IsId(property.Name))
                {
                    throw StoreFormat.Shape(path, where, "expected a key id (k_ and 12 hex digits)");
                }

                if (property.Value.ValueKind != JsonValueKind.Object)
                {
                    throw StoreFormat.Shape(path, where, "expected an object");
                }

                states[property.Name] = ReadState(property.Value, path, where);
            }
        }

        return new(states, generation, epoch, false);
    }

    /// <summary>The seed's file: raw keys as property names, converted to ids.</summary>
    private static Dictionary<string, KeyState> ParseSeed(JsonElement root, ReadOnlyMemory<byte> bytes, string path)
    {
        var states = new Dictionary<string, KeyState>(StringComparer.Ordinal);
        int index = -1;
        foreach (var property in root.EnumerateObject())
        {
            index++;
            string where = $"$['{KeyMask.Mask(property.Name.Trim())}']";
            if (property.Value.ValueKind != JsonValueKind.Object)
            {
                throw StoreFormat.Shape(path, where, "expected an object with blocked_until, failures, last_failed");
            }

            var id = KeyIds.For(property.Name.Trim());
            if (!states.TryAdd(id, ReadState(property.Value, path, where)))
            {
                // The same key twice, once with spaces around it: the document reader let it through.
                throw StoreFormat.Shape(path, where, "duplicate entry (the same key as an earlier entry)", bytes.Span,
                    StoreFormat.RootPropertyOffset(bytes.Span, index));
            }
        }

        return states;
    }

    public static byte[] Serialize(IReadOnlyDictionary<string, KeyState> states, long generation, string epoch)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + (states.Count * 256));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", Format);
            writer.WriteNumber("generation", generation);
            if (epoch != SeedEpoch)
            {
                writer.WriteString("epoch", epoch);
            }

            writer.WriteStartObject("states");
            foreach (var (id, state) in states.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject(id);
                WriteState(writer, state);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
