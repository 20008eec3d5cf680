using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ApiKeys.Cli.Output;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys log</c>: the gateway's request log (this store directory's <c>usage.db</c>), newest first, filtered by time,
/// token, key, model and status; <c>--follow</c> prints new requests as they are written (every second).
/// </summary>
internal static class LogCommand
{
    private static readonly TimeSpan FollowEvery = TimeSpan.FromSeconds(1);

    public static Command Create(CliContext context)
    {
        var since = UsageArguments.Since("1h");
        var token = new Option<string?>("--token") { Description = "Only this client token's name.", HelpName = "NAME" };
        var key = new Option<string?>("--key") { Description = "Only this key id (k_...: apikeys list --json shows them).", HelpName = "ID" };
        var model = new Option<string?>("--model") { Description = "Only this model.", HelpName = "MODEL" };
        var status = new Option<string?>("--status") { Description = "Only this status: 429, 4xx, 5xx or errors.", HelpName = "STATUS" };
        var limit = new Option<int>("--limit", "-n") { Description = "The most rows (default 50, at most 1000).", HelpName = "N", DefaultValueFactory = _ => 50 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Then print new requests as they are written, until interrupted." };
        var json = new Option<bool>("--json") { Description = "Write JSON (with --follow: one object per line)." };
        var command = new Command("log", "The gateway's request log, newest first (time, token, route, model, key id, status, retries, latency, tokens).")
        {
            since, token, key, model, status, limit, follow, json,
        };
        command.SetAction(parse =>
        {
            StatusFilter? statuses = null;
            if (parse.GetValue(status) is { } text)
            {
                statuses = StatusFilter.TryParse(text, out var filter) ? filter : throw new CliException($"--status '{text}' is not a status (429), a class (4xx, 5xx) or 'errors'", ExitCodes.Usage);
            }

            var query = new RequestLogQuery
            {
                From = UsageArguments.ParseSince(parse.GetValue(since)!, context.Time.GetUtcNow()),
                Token = parse.GetValue(token),
                KeyId = parse.GetValue(key),
                Model = parse.GetValue(model),
                Status = statuses,
                Limit = Math.Clamp(parse.GetValue(limit), 1, RequestLogQuery.MaxLimit),
            };
            bool asJson = parse.GetValue(json);
            bool following = parse.GetValue(follow);
            var page = UsageArguments.Read(context, null, "", reader => reader.GetLog(query));
            // Oldest first on screen, as a log reads; newest first in a JSON page.
            if (asJson && !following)
            {
                JsonOutput.Write(context, writer => WritePage(writer, page));
                return ExitCodes.Success;
            }

            Print(context, page.Entries.Reverse(), asJson, header: !asJson);
            if (following)
            {
                Follow(context, query, page.LastId, asJson);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void Follow(CliContext context, RequestLogQuery query, long after, bool asJson)
    {
        while (true)
        {
            Task.Delay(FollowEvery, context.Time).GetAwaiter().GetResult();
            var next = UsageArguments.Read(context, null, "", reader => reader.GetLog(query with { From = null, After = after }));
            Print(context, next.Entries, asJson, header: false);
            if (next.Entries.Count > 0)
            {
                after = next.Entries[^1].Id;
            }
        }
    }

    private static void Print(CliContext context, IEnumerable<RequestLogEntry> entries, bool asJson, bool header)
    {
        if (header)
        {
            context.Out.WriteLine("TIME (UTC)               TOKEN        ROUTE                  MODEL                 KEY              STATUS  OUTCOME        RETRIES  LATENCY   TTFB      IN      OUT");
        }

        foreach (var e in entries)
        {
            if (asJson)
            {
                JsonOutput.WriteLine(context, writer => WriteEntry(writer, e));
                continue;
            }

            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{e.At:yyyy-MM-dd HH:mm:ss.fff}  {Cell(e.Token, 11)}  {Cell(e.Route, 21)}  {Cell(e.Model, 20)}  {Cell(e.KeyId, 15)}  {e.Status,6}  {Cell(e.Outcome, 13)}  {e.Retries,7}  {e.LatencyMs,5} ms  {(e.TtfbMs is { } t ? $"{t,5} ms" : "    -   ")}  {Tokens(e.InputTokens),6}  {Tokens(e.OutputTokens),6}"));
        }

        context.Out.Flush();
    }

    private static string Cell(string value, int width) => (value.Length == 0 ? "-" : value.Length > width ? value[..(width - 1)] + "~" : value).PadRight(width);

    private static string Tokens(long? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "-";

    private static void WritePage(Utf8JsonWriter writer, RequestLogPage page)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("entries");
        foreach (var e in page.Entries)
        {
            WriteEntry(writer, e);
        }

        writer.WriteEndArray();
        if (page.NextBefore is { } next)
        {
            writer.WriteNumber("nextBefore", next);
        }
        else
        {
            writer.WriteNull("nextBefore");
        }

        writer.WriteNumber("lastId", page.LastId);
        writer.WriteEndObject();
    }

    private static void WriteEntry(Utf8JsonWriter writer, RequestLogEntry e)
    {
        writer.WriteStartObject();
        writer.WriteNumber("id", e.Id);
        writer.WriteString("at", e.At);
        writer.WriteString("token", e.Token);
        writer.WriteString("route", e.Route);
        writer.WriteString("model", e.Model);
        writer.WriteString("key", e.KeyId);
        writer.WriteNumber("status", e.Status);
        writer.WriteString("outcome", e.Outcome);
        writer.WriteNumber("retries", e.Retries);
        writer.WriteNumber("latencyMs", e.LatencyMs);
        Number(writer, "ttfbMs", e.TtfbMs);
        Number(writer, "inputTokens", e.InputTokens);
        Number(writer, "outputTokens", e.OutputTokens);
        Number(writer, "cachedTokens", e.CachedTokens);
        Number(writer, "thinkingTokens", e.ThinkingTokens);
        writer.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter writer, string name, long? value)
    {
        if (value is { } v)
        {
            writer.WriteNumber(name, v);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
