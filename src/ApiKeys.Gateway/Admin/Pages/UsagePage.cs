using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Markup;
using ApiKeys.Usage;
using ApiKeys.Usage.Aggregates;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>
/// <c>/admin/usage</c>: requests and tokens by key, model or token, per hour or day over 24 hours, 7 or 30 days: two charts
/// (the six busiest groups, the rest as "other") and a table of totals with error rates and latencies.
/// </summary>
internal static class UsagePage
{
    private const int MaxSeries = 6;
    private const int MaxRows = 50;
    private static readonly string[] Groupings = ["key", "model", "token"];

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/usage", Show);

    public static UsageRange Range(string? since, DateTimeOffset now) => UsageRange.Of(since, now);

    /// <summary>Links to the other ranges, keyboard-reachable, the current one marked.</summary>
    public static Html RangeLinks(string prefix, string current) => Html.Join(UsageRange.Names.Select(n => n == current
        ? Html.Of($"<a href=\"{prefix}since={n}\" aria-current=\"true\"><strong>{n}</strong></a>")
        : Html.Of($"<a href=\"{prefix}since={n}\">{n}</a>")));

    private static IResult Show(HttpContext http, AdminContext admin, string? by, string? since)
    {
        var session = AdminSession.Of(http);
        var now = admin.Time.GetUtcNow();
        var range = Range(since, now);
        var grouping = by switch { "model" => UsageGrouping.Model, "token" => UsageGrouping.Token, _ => UsageGrouping.Key };
        string what = grouping.ToString().ToLowerInvariant();
        Html content;
        try
        {
            // Totals first (two rows of running totals a value); then the buckets of the busiest values only, and of everything
            // (the rest is "other"): 10,000 keys x 168 hours never come back to .NET.
            var totals = admin.Usage.GetUsage(new UsageQuery { From = range.From, To = now, GroupBy = grouping });
            var busiest = Busiest(totals, r => r.Counts.Requests).Union(Busiest(totals, Tokens), StringComparer.Ordinal).ToList();
            var buckets = admin.Usage.GetUsage(new UsageQuery { From = range.From, To = now, GroupBy = grouping, Interval = range.Interval, GroupValues = busiest });
            var all = admin.Usage.GetUsage(new UsageQuery { From = range.From, To = now, Interval = range.Interval });
            string per = range.Interval.ToString().ToLowerInvariant();
            content = Html.Of($"""
                {Chart("usage-requests", $"Requests per {per} by {what}, {range.Label}", buckets, range, now, what, all: all)}
                {Chart("usage-tokens", $"Tokens (in + out) per {per} by {what}, {range.Label}", buckets, range, now, what, tokens: true, all: all)}
                <h2>Totals by {what}, {range.Label}</h2>{Table(totals, grouping.ToString())}
                <p class="muted">From {buckets.Source}.</p>
                """);
        }
        catch (UsageStoreException e)
        {
            content = Html.Of($"<p class=\"muted\">No usage statistics: {e.Message}</p>");
        }

        var groups = Groupings.Select(g => g == what
            ? Html.Of($"<a href=\"/admin/usage?by={g}&amp;since={range.Name}\" aria-current=\"true\"><strong>by {g}</strong></a>")
            : Html.Of($"<a href=\"/admin/usage?by={g}&amp;since={range.Name}\">by {g}</a>"));
        var body = Html.Of($"""
            <nav class="pager" aria-label="Grouping">{Html.Join(groups)}</nav>
            <nav class="pager" aria-label="Time range">{RangeLinks($"/admin/usage?by={what}&", range.Name)}</nav>
            {content}
            """);
        return Layout.Page(session, "Usage", "/admin/usage", body);
    }

    private static double Tokens(UsageRow row) => row.Counts.InputTokens + row.Counts.OutputTokens;

    /// <summary>The <see cref="MaxSeries"/> groups with the most of <paramref name="value"/>.</summary>
    private static IEnumerable<string> Busiest(UsageReport totals, Func<UsageRow, double> value) =>
        totals.Rows.OrderByDescending(value).ThenBy(r => r.Group, StringComparer.Ordinal).Take(MaxSeries).Select(r => r.Group);

    /// <summary>
    /// A line per group (the busiest <see cref="MaxSeries"/> of <paramref name="report"/>, the rest summed as "other") over the
    /// range's buckets. With <paramref name="all"/> (every group's buckets together), "other" is what the lines leave of it.
    /// </summary>
    public static Html Chart(string id, string title, UsageReport report, UsageRange range, DateTimeOffset now, string what, bool tokens = false, UsageReport? all = null)
    {
        long[] times = range.Buckets(now);
        var index = times.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        Func<UsageRow, double> value = tokens ? Tokens : r => r.Counts.Requests;
        var top = report.Rows.GroupBy(r => r.Group).OrderByDescending(g => g.Sum(value)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(MaxSeries).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var series = new Dictionary<string, double[]>(StringComparer.Ordinal);
        void Add(string name, UsageRow row, double sign)
        {
            if (row.Start is { } start && index.TryGetValue(start.ToUnixTimeSeconds(), out int i))
            {
                (series.TryGetValue(name, out var values) ? values : series[name] = new double[times.Length])[i] += sign * value(row);
            }
        }

        foreach (var row in report.Rows.Where(r => all is null || top.Contains(r.Group)))
        {
            Add(top.Contains(row.Group) ? (row.Group.Length == 0 ? "(none)" : row.Group) : "other", row, 1);
        }

        foreach (var row in all?.Rows ?? [])
        {
            Add("other", row, 1);
        }

        foreach (var row in all is null ? [] : report.Rows.Where(r => top.Contains(r.Group)))
        {
            Add("other", row, -1);
        }

        if (series.TryGetValue("other", out var rest) && rest.All(v => v <= 0))
        {
            series.Remove("other");
        }

        if (series.Count == 0)
        {
            series["none"] = new double[times.Length];
        }

        double total = series.Values.Sum(v => v.Sum());
        string summary = $"{Format.Number((long)total)} {(tokens ? "tokens" : "requests")} in all, by {series.Count} {what}{(series.Count == 1 ? "" : "s")}.";
        return Charts.Line(id, title, summary, times, [.. series.OrderByDescending(s => s.Value.Sum()).Select(s => (s.Key, (IReadOnlyList<double>)s.Value))]);
    }

    /// <summary>A report's rows (no buckets) as a table, with the total last.</summary>
    public static Html Table(UsageReport report, string group)
    {
        var ordered = report.Rows.OrderByDescending(r => r.Counts.Requests).ThenBy(r => r.Group, StringComparer.Ordinal).ToList();
        var rows = ordered.Take(MaxRows).Select(r => Row(r.Group.Length == 0 ? "(none)" : r.Group, r)).ToList();
        if (ordered.Count > MaxRows)
        {
            var rest = new HourlyCounts();
            ordered.Skip(MaxRows).ToList().ForEach(r => rest.Add(r.Counts));
            rows.Add(Row($"the other {Format.Number(ordered.Count - MaxRows)}", new UsageRow("other", null, rest)));
        }

        rows.Add(Row("Total", report.Total));
        return Html.Of($"""
            <div class="table-wrap"><table><thead><tr><th scope="col">{group}</th><th scope="col" class="num">Requests</th><th scope="col" class="num">Failed</th><th scope="col" class="num">Error rate</th>
            <th scope="col" class="num">Retries</th><th scope="col" class="num">Tokens in</th><th scope="col" class="num">Tokens out</th><th scope="col" class="num">Cached</th><th scope="col" class="num">Thinking</th><th scope="col" class="num">p95</th></tr></thead>
            <tbody>{rows}</tbody></table></div>
            """);
    }

    private static Html Row(string name, UsageRow row) => Html.Of($"""
        <tr><th scope="row" class="mono">{name}</th><td class="num">{Format.Number(row.Counts.Requests)}</td><td class="num">{Format.Number(row.Counts.Failures)}</td><td class="num">{Format.Percent(row.ErrorRate)}</td>
        <td class="num">{Format.Number(row.Counts.Retries)}</td><td class="num">{Format.Number(row.Counts.InputTokens)}</td><td class="num">{Format.Number(row.Counts.OutputTokens)}</td>
        <td class="num">{Format.Number(row.Counts.CachedTokens)}</td><td class="num">{Format.Number(row.Counts.ThinkingTokens)}</td><td class="num">{Format.Ms(row.P95LatencyMs)}</td></tr>
        """);
}
