using System.Buffers;
using System.Collections.Immutable;
using System.Text.Json;
using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Storage;

/// <summary>
/// <c>api_key_states.json</c>: the seed's object keyed by raw key (read as is, converted to ids), or this
/// project's <c>{"format": "apikeys-states/1", "generation": n, "states": {"&lt;id&gt;": {...}}}</c>, which holds no secret.
/// The seed's field names and units (<c>blocked_until</c>, <c>failures</c>, <c>last_failed</c>, unix seconds) are kept.
/// </summary>
internal static class StatesFile
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

        var states = new Dictionary<string, KeyState>(StringComparer.Ordinal);
        if (!root.TryGetProperty("format", out var formatElement))
        {
            // The seed's file: raw keys as property names.
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

            return new(states, 0, SeedEpoch, true);
        }

        var format = formatElement.ValueKind == JsonValueKind.String ? formatElement.GetString() : null;
        if (format != Format)
        {
            throw new KeyStoreException($"{path}: at $.format: unknown format version {StoreFormat.Quote(format)} (this version reads {Format}); the file was left as it is.",
                path, KeyStoreErrorKind.UnsupportedVersion);
        }

        long generation = StoreFormat.OptionalLong(root, "generation", path, "$");
        string epoch = StoreFormat.OptionalString(root, "epoch", path, "$") ?? SeedEpoch;
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

    private static void WriteState(Utf8JsonWriter w, KeyState s)
    {
        // The seed's three fields are always there; a time that is not set is null (the seed's 0 is read as not set too).
        StoreFormat.WriteTimeOrNull(w, "blocked_until", s.BlockedUntil);
        w.WriteNumber("failures", s.Failures);
        StoreFormat.WriteTimeOrNull(w, "last_failed", s.LastFailed);
        w.WriteNumber("successes", s.TotalSuccesses);
        w.WriteNumber("total_failures", s.TotalFailures);
        StoreFormat.WriteTime(w, "last_used", s.LastUsed);
        if (s.BlockKind is { } bk)
        {
            w.WriteString("block_kind", Name(bk));
        }

        if (s.CooldownLevel != 0)
        {
            w.WriteNumber("cooldown_level", s.CooldownLevel);
        }

        StoreFormat.WriteTime(w, "level_changed_at", s.LevelChangedAt);
        if (s.DisabledKind is { } dk)
        {
            w.WriteStartObject("disabled");
            w.WriteString("kind", Name(dk));
            if (s.DisabledReason is not null)
            {
                w.WriteString("reason", s.DisabledReason);
            }

            StoreFormat.WriteTime(w, "at", s.DisabledAt);
            w.WriteEndObject();
        }

        if (s.LastError is { } e)
        {
            w.WriteStartObject("last_error");
            w.WriteString("kind", Name(e.Kind));
            if (e.Message is not null)
            {
                w.WriteString("message", e.Message);
            }

            StoreFormat.WriteTime(w, "at", e.At);
            w.WriteEndObject();
        }

        if (s.Models.Count > 0)
        {
            w.WriteStartObject("models");
            foreach (var (model, block) in s.Models.OrderBy(m => m.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject(model);
                StoreFormat.WriteTimeOrNull(w, "until", block.Until);

                w.WriteString("kind", Name(block.Kind));
                w.WriteNumber("level", block.Level);
                StoreFormat.WriteTime(w, "since", block.Since);
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        if (s.LearnedProject is not null)
        {
            w.WriteString("project", s.LearnedProject);
        }

        StoreFormat.WriteTime(w, "updated", s.UpdatedAt);
    }

    private static KeyState ReadState(JsonElement o, string path, string where)
    {
        var blocked = StoreFormat.OptionalTime(o, "blocked_until", path, where);
        var state = new KeyState
        {
            BlockedUntil = blocked,
            Failures = (int)Math.Min(int.MaxValue, StoreFormat.OptionalLong(o, "failures", path, where)),
            LastFailed = StoreFormat.OptionalTime(o, "last_failed", path, where),
            TotalSuccesses = StoreFormat.OptionalLong(o, "successes", path, where),
            TotalFailures = StoreFormat.OptionalLong(o, "total_failures", path, where),
            LastUsed = StoreFormat.OptionalTime(o, "last_used", path, where),
            BlockKind = ReadKind(o, "block_kind", path, where) ?? (blocked is null ? null : FailureKind.Unknown),
            CooldownLevel = (int)Math.Min(64, StoreFormat.OptionalLong(o, "cooldown_level", path, where)),
            LevelChangedAt = StoreFormat.OptionalTime(o, "level_changed_at", path, where),
            LearnedProject = StoreFormat.OptionalString(o, "project", path, where),
            UpdatedAt = StoreFormat.OptionalTime(o, "updated", path, where),
        };

        if (o.TryGetProperty("disabled", out var disabled) && disabled.ValueKind != JsonValueKind.Null)
        {
            if (disabled.ValueKind != JsonValueKind.Object)
            {
                throw StoreFormat.Shape(path, $"{where}.disabled", "expected an object");
            }

            state = state with
            {
                DisabledKind = ReadKind(disabled, "kind", path, $"{where}.disabled") ?? FailureKind.InvalidKey,
                DisabledReason = StoreFormat.OptionalString(disabled, "reason", path, $"{where}.disabled"),
                DisabledAt = StoreFormat.OptionalTime(disabled, "at", path, $"{where}.disabled"),
            };
        }

        if (o.TryGetProperty("last_error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            if (error.ValueKind != JsonValueKind.Object)
            {
                throw StoreFormat.Shape(path, $"{where}.last_error", "expected an object");
            }

            state = state with
            {
                LastError = new KeyError(
                    ReadKind(error, "kind", path, $"{where}.last_error") ?? FailureKind.Unknown,
                    StoreFormat.OptionalString(error, "message", path, $"{where}.last_error"),
                    StoreFormat.OptionalTime(error, "at", path, $"{where}.last_error") ?? DateTimeOffset.UnixEpoch),
            };
        }

        if (o.TryGetProperty("models", out var models) && models.ValueKind != JsonValueKind.Null)
        {
            if (models.ValueKind != JsonValueKind.Object)
            {
                throw StoreFormat.Shape(path, $"{where}.models", "expected an object keyed by model");
            }

            var builder = ImmutableDictionary.CreateBuilder<string, ModelBlock>(StringComparer.Ordinal);
            foreach (var m in models.EnumerateObject())
            {
                string at = $"{where}.models['{StoreFormat.Safe(m.Name)}']";
                if (m.Value.ValueKind != JsonValueKind.Object)
                {
                    throw StoreFormat.Shape(path, at, "expected an object");
                }

                builder[m.Name] = new ModelBlock(
                    StoreFormat.OptionalTime(m.Value, "until", path, at),
                    ReadKind(m.Value, "kind", path, at) ?? FailureKind.RateLimited,
                    (int)Math.Min(64, StoreFormat.OptionalLong(m.Value, "level", path, at)),
                    StoreFormat.OptionalTime(m.Value, "since", path, at) ?? DateTimeOffset.UnixEpoch);
            }

            state = state with { Models = builder.ToImmutable() };
        }

        return state;
    }

    private static FailureKind? ReadKind(JsonElement o, string name, string path, string where)
    {
        var text = StoreFormat.OptionalString(o, name, path, where);
        if (text is null)
        {
            return null;
        }

        foreach (var kind in Enum.GetValues<FailureKind>())
        {
            if (string.Equals(Name(kind), text, StringComparison.Ordinal))
            {
                return kind;
            }
        }

        throw StoreFormat.Shape(path, $"{where}.{name}", $"unknown failure kind {StoreFormat.Quote(text)}");
    }

    internal static string Name(FailureKind kind) => kind switch
    {
        FailureKind.Unknown => "unknown",
        FailureKind.RateLimited => "rate_limited",
        FailureKind.ModelUnavailable => "model_unavailable",
        FailureKind.InvalidKey => "invalid_key",
        FailureKind.Suspended => "suspended",
        FailureKind.Forbidden => "forbidden",
        FailureKind.Billing => "billing",
        FailureKind.Upstream => "upstream",
        FailureKind.Transport => "transport",
        FailureKind.BadRequest => "bad_request",
        _ => kind.ToString(),
    };
}
