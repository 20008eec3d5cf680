using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ApiKeys.Cli.Output;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys usage</c>: requests, tokens and error rates from the gateway's usage statistics (<c>usage.db</c> in the store
/// directory, or the fleet's aggregates in Redis), grouped by key, model, token or outcome, in total or per hour or day, with
/// the anomalies flagged in the range.
/// </summary>
internal static class UsageCommand
{
    public static Command Create(CliContext context)
    {
        var by = new Option<string>("--by") { Description = "Group by key, model, token or outcome (default: key).", HelpName = "key|model|token|outcome", DefaultValueFactory = _ => "key" };
        by.AcceptOnlyFromAmong("key", "model", "token", "outcome");
        var since = UsageArguments.Since("24h");
        var every = new Option<string>("--every") { Description = "One row per group and hour or day (default: total over the range).", HelpName = "total|hour|day", DefaultValueFactory = _ => "total" };
        every.AcceptOnlyFromAmong("total", "hour", "day");
        var (redis, pool) = UsageArguments.RedisOptions();
        var json = GlobalOptions.Json();
        var command = new Command("usage", "Requests, tokens and error rates of the gateway's clients, keys and models (from usage.db, or Redis with --redis).")
        {
            by, since, every, redis, pool, json,
        };
        command.SetAction(parse =>
        {
            var now = context.Time.GetUtcNow();
            var query = new UsageQuery
            {
                From = UsageArguments.ParseSince(parse.GetValue(since)!, now),
                To = now,
                GroupBy = Enum.Parse<UsageGrouping>(parse.GetValue(by)!, ignoreCase: true),
                Interval = parse.GetValue(every) switch { "hour" => UsageInterval.Hour, "day" => UsageInterval.Day, _ => UsageInterval.Total },
            };
            var report = UsageArguments.Read(context, parse.GetValue(redis), parse.GetValue(pool)!, reader => reader.GetUsage(query));
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context, writer => WriteJson(writer, report));
            }
            else
            {
                WriteTable(context, report);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteTable(CliContext context, UsageReport report)
    {
        var q = report.Query;
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Usage from {q.From:yyyy-MM-dd HH:mm}Z to {q.To:yyyy-MM-dd HH:mm}Z by {q.GroupBy.ToString().ToLowerInvariant()} ({report.Source})"));
        if (report.Total.Counts.Requests == 0)
        {
            context.Out.WriteLine("No requests in this range.");
        }

        string[] head = [q.GroupBy.ToString().ToUpperInvariant(), "REQUESTS", "OK", "FAILED", "ERRORS", "RETRIES", "TOKENS IN", "OUT", "CACHED", "THINKING", "P95"];
        var rows = new List<string[]> { head };
        foreach (var row in report.Rows.Append(report.Total))
        {
            string group = row.Group.Length == 0 ? "-" : row.Group;
            if (row.Start is { } start)
            {
                group = string.Create(CultureInfo.InvariantCulture, $"{start:MM-dd HH:mm} {group}");
            }

            var c = row.Counts;
            rows.Add([group, N(c.Requests), N(c.Successes), N(c.Failures), string.Create(CultureInfo.InvariantCulture, $"{row.ErrorRate:0.0%}"), N(c.Retries),
                N(c.InputTokens), N(c.OutputTokens), N(c.CachedTokens), N(c.ThinkingTokens), row.P95LatencyMs is { } p ? Ms(p) : "-"]);
        }

        int[] widths = [.. Enumerable.Range(0, head.Length).Select(i => rows.Max(r => r[i].Length))];
        foreach (var r in rows)
        {
            context.Out.WriteLine(string.Join("  ", r.Select((cell, i) => i == 0 ? cell.PadRight(widths[i]) : cell.PadLeft(widths[i]))).TrimEnd());
        }

        foreach (var anomaly in report.Anomalies)
        {
            context.Out.WriteLine(context.Paint("! unusual: " + anomaly, Paint.Yellow));
        }
    }

    private static void WriteJson(Utf8JsonWriter writer, UsageReport report)
    {
        writer.WriteStartObject();
        writer.WriteString("from", report.Query.From);
        writer.WriteString("to", report.Query.To);
        writer.WriteString("groupBy", report.Query.GroupBy.ToString().ToLowerInvariant());
        writer.WriteString("source", report.Source);
        writer.WriteStartArray("rows");
        foreach (var row in report.Rows)
        {
            WriteRow(writer, row);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("total");
        WriteRow(writer, report.Total);
        writer.WriteStartArray("anomalies");
        foreach (var a in report.Anomalies)
        {
            writer.WriteStartObject();
            writer.WriteString("dimension", a.Dimension);
            writer.WriteString("name", a.Name);
            writer.WriteString("hour", a.Hour);
            writer.WriteNumber("requests", a.Requests);
            writer.WriteNumber("baselineMedian", a.BaselineMedian);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteRow(Utf8JsonWriter writer, UsageRow row)
    {
        var c = row.Counts;
        writer.WriteStartObject();
        writer.WriteString("group", row.Group);
        if (row.Start is { } start)
        {
            writer.WriteString("start", start);
        }

        writer.WriteNumber("requests", c.Requests);
        writer.WriteNumber("successes", c.Successes);
        writer.WriteNumber("failures", c.Failures);
        writer.WriteNumber("errorRate", Math.Round(row.ErrorRate, 4));
        writer.WriteNumber("retries", c.Retries);
        writer.WriteStartObject("tokens");
        writer.WriteNumber("input", c.InputTokens);
        writer.WriteNumber("output", c.OutputTokens);
        writer.WriteNumber("cached", c.CachedTokens);
        writer.WriteNumber("thinking", c.ThinkingTokens);
        writer.WriteEndObject();
        writer.WriteStartObject("latencyMs");
        Nullable(writer, "average", row.AverageLatencyMs);
        Nullable(writer, "p50", row.P50LatencyMs);
        Nullable(writer, "p95", row.P95LatencyMs);
        writer.WriteEndObject();
        Nullable(writer, "ttfbMs", row.AverageTtfbMs);
        writer.WriteEndObject();
    }

    private static void Nullable(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } v && double.IsFinite(v))
        {
            writer.WriteNumber(name, Math.Round(v, 1));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string N(long value) => UsageArguments.Number(value);

    private static string Ms(double ms) => double.IsInfinity(ms) ? ">120 s" : ms >= 1000 ? string.Create(CultureInfo.InvariantCulture, $"{ms / 1000:0.#} s") : string.Create(CultureInfo.InvariantCulture, $"{ms:0} ms");
}
