using System.Globalization;
using ApiKeys.Cli.Output;
using ApiKeys.Pool;

namespace ApiKeys.Cli;

/// <summary>
/// Adds keys from a source (stdin lines, environment variables, a .env file, a text file) and reports each one:
/// added, skipped as duplicate, or refused as malformed. Reports name the source and the mask, never the key.
/// </summary>
internal sealed class KeyIntake(CliContext context, ApiKeyManager manager, bool allowUnknown, string? label = null, string? project = null)
{
    private readonly List<Entry> _entries = [];

    public int Added => _entries.Count(e => e.Outcome == "added");

    public int Duplicates => _entries.Count(e => e.Outcome == "duplicate");

    public int Refused => _entries.Count(e => e.Outcome == "refused");

    /// <summary>The first save error, if a key could not be written.</summary>
    public string? SaveError { get; private set; }

    /// <summary>Offers one key, read from <paramref name="source"/> (<c>line 3</c>, <c>GEMINI_KEY_1</c>).</summary>
    public void Offer(string source, string secret)
    {
        var result = manager.AddKey(secret, label, project, allowUnknown);
        SaveError ??= result.SaveError;
        string? reason = result.Status switch
        {
            AddKeyStatus.Added or AddKeyStatus.Duplicate => null,
            AddKeyStatus.UnknownFormat => $"{result.Message} Pass --allow-unknown to accept it.",
            _ => result.Message,
        };
        string outcome = result.Status switch
        {
            AddKeyStatus.Added => "added",
            AddKeyStatus.Duplicate => "duplicate",
            _ => "refused",
        };
        _entries.Add(new Entry(source, outcome, result.Mask, result.Status is AddKeyStatus.Added or AddKeyStatus.Duplicate ? result.KeyId : null, reason));
    }

    /// <summary>Writes the report: one line a key and a summary, or JSON.</summary>
    public void Report(bool json)
    {
        if (json)
        {
            JsonOutput.Write(context, writer =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("added", Added);
                writer.WriteNumber("duplicates", Duplicates);
                writer.WriteNumber("refused", Refused);
                writer.WriteStartArray("keys");
                foreach (var e in _entries)
                {
                    writer.WriteStartObject();
                    writer.WriteString("source", e.Source);
                    writer.WriteString("outcome", e.Outcome);
                    JsonOutput.WriteNullable(writer, "mask", e.Mask);
                    JsonOutput.WriteNullable(writer, "id", e.Id);
                    JsonOutput.WriteNullable(writer, "reason", e.Reason);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            });
            return;
        }

        foreach (var e in _entries)
        {
            context.Out.WriteLine(e.Outcome switch
            {
                "added" => $"Added {e.Mask} ({e.Source})",
                "duplicate" => $"Skipped {e.Mask} ({e.Source}): already stored",
                _ => $"Refused {e.Source}{(e.Mask is null ? "" : $" ({e.Mask})")}: {e.Reason}",
            });
        }

        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Added} added, {Duplicates} skipped as duplicate, {Refused} refused as malformed."));
    }

    /// <summary>0 when every key is stored; 1 (with one line on stderr) when a key was refused or not saved.</summary>
    public int ExitCode()
    {
        if (SaveError is not null)
        {
            // The library has already written the seed's "ERROR - Failed to save keys" line with the path and the fix.
            return ExitCodes.Failure;
        }

        if (Refused > 0)
        {
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"apikeys: {Refused} key{(Refused == 1 ? " was" : "s were")} refused as malformed (see above); the others were kept."));
            return ExitCodes.Failure;
        }

        return ExitCodes.Success;
    }

    private sealed record Entry(string Source, string Outcome, string? Mask, string? Id, string? Reason);
}
