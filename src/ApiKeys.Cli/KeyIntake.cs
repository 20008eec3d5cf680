using System.Globalization;
using ApiKeys.Cli.Output;
using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Storage;

namespace ApiKeys.Cli;

/// <summary>
/// Adds keys from a source (stdin lines, environment variables, a .env file, a text file) and reports each one:
/// added (only once it is on disk), skipped as duplicate, refused as malformed, or not saved. Reports name the source and
/// the mask, never the key.
/// </summary>
internal sealed class KeyIntake(CliContext context, ApiKeyManager manager, bool allowUnknown, string? label = null, string? project = null)
{
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, string> _notSaved = new(StringComparer.Ordinal);
    private KeyStoreException? _failure;

    public int Added => Count("added");

    public int Duplicates => Count("duplicate");

    public int Refused => Count("refused");

    /// <summary>Keys the store could not write: in no file, whatever the pool held in memory.</summary>
    public int NotSaved => Count("failed");

    /// <summary>Offers one key, read from <paramref name="source"/> (<c>line 3</c>, <c>GEMINI_KEY_1</c>).</summary>
    public void Offer(string source, string secret)
    {
        if (ArgumentGuard.OptionHolding(context.Arguments, secret) is { } option)
        {
            _entries.Add(new Entry(source, "refused", null, null, $"{option} holds this key; every user of this machine can read a process's arguments (ps)."));
            return;
        }

        AddKeyResult result;
        try
        {
            result = manager.AddKey(secret, label, project, allowUnknown);
        }
        catch (KeyStoreException e)
        {
            // The store refused the change (a directory or a link where its lock file should be, a file it cannot read):
            // nothing of it is in memory or on disk, which reads as a write that failed.
            _failure ??= e;
            _entries.Add(new Entry(source, "failed", KeyMask.Mask(secret.Trim()), KeyIds.For(secret.Trim()), StoreErrors.Parts(e).Message));
            return;
        }

        string? id = result.Status is AddKeyStatus.Added or AddKeyStatus.Duplicate ? result.KeyId : null;
        if (result.SaveError is { } error && id is not null)
        {
            // In the pool's memory only: the store refuses every later write of this run (FailStopStore).
            _notSaved[id] = error;
        }

        string? notSaved = id is not null ? _notSaved.GetValueOrDefault(id) : null;
        string outcome = result.Status switch
        {
            _ when notSaved is not null => "failed",
            AddKeyStatus.Added => "added",
            AddKeyStatus.Duplicate => "duplicate",
            _ => "refused",
        };
        string? reason = result.Status switch
        {
            _ when notSaved is not null => notSaved,
            AddKeyStatus.Added or AddKeyStatus.Duplicate => null,
            AddKeyStatus.UnknownFormat => $"{result.Message} Pass --allow-unknown to accept it.",
            _ => result.Message,
        };
        _entries.Add(new Entry(source, outcome, result.Mask, id, reason));
    }

    /// <summary>Writes what is pending (the keys' states) before anything is reported, and keeps the failure to report it.</summary>
    public void Finish()
    {
        try
        {
            manager.Flush();
        }
        catch (KeyStoreException e)
        {
            _failure ??= e;
        }
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
                writer.WriteNumber("notSaved", NotSaved);
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
                "failed" => $"Not added {e.Mask} ({e.Source}): {e.Reason}",
                _ => $"Refused {e.Source}{(e.Mask is null ? "" : $" ({e.Mask})")}: {e.Reason}",
            });
        }

        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Added} added, {Duplicates} skipped as duplicate, {Refused} refused as malformed{(NotSaved > 0 ? $", {NotSaved} not saved" : "")}."));
    }

    /// <summary>0 when every key is stored; 1 (with one line on stderr) when a key was refused or not saved.</summary>
    public int ExitCode()
    {
        if (_failure is not null)
        {
            string notDone = NotSaved > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{NotSaved} key{(NotSaved == 1 ? " was" : "s were")} not added (see above)")
                : "The keys' states were not saved";
            string changed = Added > 0 ? "the keys reported added are on disk, nothing else was changed" : "nothing was changed on disk";
            context.Error.WriteLine($"apikeys: {StoreErrors.NotSaved(notDone, _failure, changed).Message}");
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

    private int Count(string outcome) => _entries.Count(e => e.Outcome == outcome);

    private sealed record Entry(string Source, string Outcome, string? Mask, string? Id, string? Reason);
}
