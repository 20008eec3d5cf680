using System.Collections.Immutable;
using System.Text.Json;
using ApiKeys.Pool;

namespace ApiKeys.Storage;

internal static partial class StatesFile
{
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
            WriteKindObject(w, "disabled", dk, s.DisabledReason, "reason", s.DisabledAt);
        }

        if (s.LastError is { } e)
        {
            WriteKindObject(w, "last_error", e.Kind, e.Message, "message", e.At);
        }

        if (s.Models.Count > 0)
        {
            WriteModels(w, s.Models);
        }

        if (s.LearnedProject is not null)
        {
            w.WriteString("project", s.LearnedProject);
        }

        StoreFormat.WriteTime(w, "updated", s.UpdatedAt);
    }

    /// <summary><c>"name": {"kind": ..., "reason"/"message": ..., "at": ...}</c>.</summary>
    private static void WriteKindObject(Utf8JsonWriter w, string name, FailureKind kind, string? text, string textName, DateTimeOffset? at)
    {
        w.WriteStartObject(name);
        w.WriteString("kind", Name(kind));
        if (text is not null)
        {
            w.WriteString(textName, text);
        }

        StoreFormat.WriteTime(w, "at", at);
        w.WriteEndObject();
    }

    private static void WriteModels(Utf8JsonWriter w, ImmutableDictionary<string, ModelBlock> models)
    {
        w.WriteStartObject("models");
        foreach (var (model, block) in models.OrderBy(m => m.Key, StringComparer.Ordinal))
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

        if (Child(o, "disabled", path, where, "expected an object") is { } disabled)
        {
            string at = $"{where}.disabled";
            state = state with
            {
                DisabledKind = ReadKind(disabled, "kind", path, at) ?? FailureKind.InvalidKey,
                DisabledReason = StoreFormat.OptionalString(disabled, "reason", path, at),
                DisabledAt = StoreFormat.OptionalTime(disabled, "at", path, at),
            };
        }

        if (Child(o, "last_error", path, where, "expected an object") is { } error)
        {
            string at = $"{where}.last_error";
            state = state with
            {
                LastError = new KeyError(
                    ReadKind(error, "kind", path, at) ?? FailureKind.Unknown,
                    StoreFormat.OptionalString(error, "message", path, at),
                    StoreFormat.OptionalTime(error, "at", path, at) ?? DateTimeOffset.UnixEpoch),
            };
        }

        if (Child(o, "models", path, where, "expected an object keyed by model") is { } models)
        {
            state = state with { Models = ReadModels(models, path, where) };
        }

        return state;
    }

    /// <summary>The object property <paramref name="name"/> of <paramref name="o"/>; null when absent or null.</summary>
    private static JsonElement? Child(JsonElement o, string name, string path, string where, string expected)
    {
        if (!o.TryGetProperty(name, out var child) || child.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return child.ValueKind == JsonValueKind.Object ? child : throw StoreFormat.Shape(path, $"{where}.{name}", expected);
    }

    private static ImmutableDictionary<string, ModelBlock> ReadModels(JsonElement models, string path, string where)
    {
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

        return builder.ToImmutable();
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
}
