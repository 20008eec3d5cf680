using System.Text;
using System.Text.Json;
using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Cli.Output;

/// <summary>The --json output: written with <see cref="Utf8JsonWriter"/> (no reflection, NativeAOT-safe). Holds masks and ids, never a secret.</summary>
internal static class JsonOutput
{
    /// <summary>Writes one JSON document built by <paramref name="write"/> to standard output.</summary>
    public static void Write(CliContext context, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        context.Out.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>Writes one JSON document on one line (JSON lines, for a stream such as <c>apikeys log --follow --json</c>).</summary>
    public static void WriteLine(CliContext context, Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        context.Out.WriteLine(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>One key's status as an object.</summary>
    public static void WriteStatus(Utf8JsonWriter writer, KeyStatus status)
    {
        var state = status.State;
        writer.WriteStartObject();
        writer.WriteNumber("number", status.Number);
        writer.WriteString("id", status.Id);
        writer.WriteString("mask", status.Mask);
        WriteNullable(writer, "label", status.Label);
        writer.WriteString("provider", Provider(status.Provider));
        WriteNullable(writer, "project", status.Project);
        writer.WriteString("addedAt", status.AddedAt);
        writer.WriteString("status", status.Availability switch
        {
            KeyAvailability.Cooling => "blocked",
            KeyAvailability.Disabled or KeyAvailability.DisabledByHand => "disabled",
            _ => "active",
        });
        writer.WriteString("availability", status.Availability.ToString());
        writer.WriteBoolean("usable", status.IsUsable);
        WriteNullable(writer, "availableAt", status.AvailableAt);
        WriteNullable(writer, "reason", status.Reason);
        writer.WriteNumber("failures", state.Failures);
        WriteNullable(writer, "blockedUntil", state.BlockedUntil);
        WriteNullable(writer, "lastFailed", state.LastFailed);
        writer.WriteNumber("totalSuccesses", state.TotalSuccesses);
        writer.WriteNumber("totalFailures", state.TotalFailures);
        writer.WriteStartObject("blockedModels");
        foreach (var (model, block) in status.BlockedModels.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            writer.WriteStartObject(model);
            writer.WriteString("kind", block.Kind.ToString());
            WriteNullable(writer, "until", block.Until);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        if (state.LastError is { } error)
        {
            writer.WriteStartObject("lastError");
            writer.WriteString("kind", error.Kind.ToString());
            WriteNullable(writer, "message", error.Message);
            writer.WriteString("at", error.At);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("lastError");
        }

        writer.WriteEndObject();
    }

    public static string Provider(KeyProvider provider) => provider switch
    {
        KeyProvider.Gemini => "gemini",
        KeyProvider.OpenAI => "openai",
        KeyProvider.Anthropic => "anthropic",
        _ => "generic",
    };

    public static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    public static void WriteNullable(Utf8JsonWriter writer, string name, DateTimeOffset? value)
    {
        if (value is { } v)
        {
            writer.WriteString(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
