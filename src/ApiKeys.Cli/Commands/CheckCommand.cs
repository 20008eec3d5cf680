using System.CommandLine;
using System.Globalization;
using ApiKeys.Cli.Output;
using ApiKeys.Http.Validation;
using ApiKeys.Keys;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys check [key] [--base-url URL] [--json]</c>: asks Gemini's model list with each key (no quota spent), shows
/// progress on stderr and a table on stdout, and records the results: invalid or suspended keys are disabled, valid
/// ones usable again. Exit 0 when every key checked is valid.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(CliContext context)
    {
        var key = new Argument<string?>("key")
        {
            Description = "One key: its number, id or last characters (default: every Gemini key).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var baseUrl = new Option<string?>("--base-url")
        {
            Description = "The API's address (default: https://generativelanguage.googleapis.com/).",
            HelpName = "URL",
        };
        var json = GlobalOptions.Json();
        var command = new Command("check", "Check that keys work, without spending quota (GET /v1beta/models); disables invalid keys, restores valid ones.")
        {
            key,
            baseUrl,
            json,
        };
        command.SetAction(parse =>
        {
            Uri? root = null;
            if (parse.GetValue(baseUrl) is { } url
                && (!Uri.TryCreate(url, UriKind.Absolute, out root) || root.Scheme is not ("http" or "https")))
            {
                throw CliException.Usage($"--base-url '{url}' is not an http(s) address");
            }

            using var manager = context.Stores.Open();
            var selection = Select(context, manager, parse.GetValue(key));
            if (selection.Count == 0)
            {
                throw new CliException(manager.Keys.Count == 0 ? "No API keys stored." : "No Gemini keys to check: apikeys check only knows Gemini's API.");
            }

            var progress = new Progress(context, selection.Count);
            IReadOnlyList<KeyValidationResult> results;
            using (var validator = new KeyValidator())
            {
                // Synchronous on purpose: one key at a time, in order, so the progress lines and the table agree.
                results = validator.ValidateAsync(manager, selection, root, progress).GetAwaiter().GetResult();
            }

            // Invalid keys disabled, valid ones restored: on disk before the table says so.
            StoreOpener.Save(manager, "The results were not recorded (see the lines above for each key)");
            if (parse.GetValue(json))
            {
                WriteJson(context, results);
            }
            else
            {
                WriteTable(context, results);
            }

            return results.All(r => r.IsValid) ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static List<string> Select(CliContext context, ApiKeyManager manager, string? selector)
    {
        if (selector is not null)
        {
            return [KeySelector.Resolve(manager, selector).Id];
        }

        var gemini = manager.Keys.Where(k => k.Provider == KeyProvider.Gemini).Select(k => k.Id).ToList();
        int others = manager.Keys.Count - gemini.Count;
        if (others > 0 && gemini.Count > 0)
        {
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"apikeys: skipping {others} key{(others == 1 ? "" : "s")} of other providers: apikeys check only knows Gemini's API (name one to check it anyway)."));
        }

        return gemini;
    }

    private static void WriteTable(CliContext context, IReadOnlyList<KeyValidationResult> results)
    {
        string[] header = ["KEY", "RESULT", "HTTP", "TIME", "MESSAGE"];
        var rows = results.Select(r => new[]
        {
            r.Mask.Length > 0 ? r.Mask : r.KeyId,
            r.Outcome.ToString(),
            r.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "-",
            string.Create(CultureInfo.InvariantCulture, $"{r.Elapsed.TotalMilliseconds:0} ms"),
            OneLine(r.Message) ?? "",
        }).ToList();
        var widths = Enumerable.Range(0, header.Length - 1).Select(c => rows.Select(r => r[c].Length).Append(header[c].Length).Max()).ToArray();
        context.Out.WriteLine(Row(header, widths));
        foreach (var (row, result) in rows.Zip(results))
        {
            string line = Row(row, widths);
            context.Out.WriteLine(context.Paint(line, result.IsValid ? Paint.Green : Paint.Red));
        }

        int valid = results.Count(r => r.IsValid);
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{valid} of {results.Count} keys valid."));
    }

    private static string Row(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i < widths.Length ? c.PadRight(widths[i]) : c)).TrimEnd();

    private static string? OneLine(string? message) => message?.ReplaceLineEndings(" ");

    private static void WriteJson(CliContext context, IReadOnlyList<KeyValidationResult> results) =>
        JsonOutput.Write(context, writer =>
        {
            writer.WriteStartArray();
            foreach (var r in results)
            {
                writer.WriteStartObject();
                writer.WriteString("id", r.KeyId);
                writer.WriteString("mask", r.Mask);
                writer.WriteString("outcome", r.Outcome.ToString());
                writer.WriteBoolean("valid", r.IsValid);
                if (r.StatusCode is { } status)
                {
                    writer.WriteNumber("statusCode", status);
                }
                else
                {
                    writer.WriteNull("statusCode");
                }

                writer.WriteNumber("elapsedMs", Math.Round(r.Elapsed.TotalMilliseconds, 1));
                JsonOutput.WriteNullable(writer, "kind", r.Kind?.ToString());
                JsonOutput.WriteNullable(writer, "message", r.Message);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });

    /// <summary>One stderr line a key, as it comes (called on the validating thread: the keys are checked one at a time).</summary>
    private sealed class Progress(CliContext context, int total) : IProgress<KeyValidationResult>
    {
        private int _done;

        public void Report(KeyValidationResult value)
        {
            _done++;
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"checking {_done}/{total} {(value.Mask.Length > 0 ? value.Mask : value.KeyId)} ... {value.Outcome}"));
        }
    }
}
