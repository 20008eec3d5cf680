using System.Globalization;
using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Markup;
using ApiKeys.Pool;
using ApiKeys.Usage;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>
/// <c>/admin</c>: the pool per model (usable, cooling, disabled, when the next key is free), requests and errors over the
/// last 24 hours, and the seed's warnings (fewer than 3 usable keys, keys due for rotation, consecutive failures).
/// </summary>
internal static class OverviewPage
{
    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/", Show);

    private static IResult Show(HttpContext http, AdminContext admin)
    {
        var session = AdminSession.Of(http);
        var now = admin.Time.GetUtcNow();
        var statuses = admin.Pool.GetStatuses();
        var (chart, models) = Traffic(admin, now);
        foreach (var blocked in statuses.SelectMany(s => s.BlockedModels.Keys))
        {
            models.Add(blocked);
        }

        var body = Html.Of($"""
            <section aria-labelledby="pool-h"><h2 id="pool-h">The pool by model</h2>{PoolTable(admin, statuses, models, now)}</section>
            <section aria-labelledby="warn-h"><h2 id="warn-h">Needs attention</h2>{Warnings(admin, statuses)}</section>
            <section aria-labelledby="traffic-h"><h2 id="traffic-h">Traffic</h2>{chart}</section>
            """);
        return Layout.Page(session, "Overview", "/admin", body);
    }

    private static Html PoolTable(AdminContext admin, IReadOnlyList<KeyStatus> all, SortedSet<string> models, DateTimeOffset now)
    {
        var rows = new List<Html> { Row("every model (key-wide)", all, now) };
        rows.AddRange(models.Select(m => Row(m, [.. all.Select(s => ForModel(s, m))], now)));
        return Html.Of($"""
            <div class="table-wrap"><table><caption>{Format.Number(all.Count)} keys; a model is listed once it has traffic or a cooldown</caption>
            <thead><tr><th scope="col">Model</th><th scope="col" class="num">Usable</th><th scope="col" class="num">Cooling</th><th scope="col" class="num">Disabled</th><th scope="col">Next key free</th></tr></thead>
            <tbody>{rows}</tbody></table></div>
            """);
    }

    /// <summary>
    /// A key's status for <paramref name="model"/>, from its key-wide one (what <see cref="IKeyPool.GetStatuses"/> with the
    /// model answers: a key otherwise available or busy is blocked for a model it has an active block of), so the page reads
    /// the 10,000 statuses once instead of once per model.
    /// </summary>
    internal static KeyStatus ForModel(KeyStatus key, string model) =>
        key.Availability is KeyAvailability.Available or KeyAvailability.Busy && key.BlockedModels.TryGetValue(model, out var block)
            ? key with { Availability = KeyAvailability.ModelBlocked, AvailableAt = block.Until }
            : key;

    private static Html Row(string model, IReadOnlyList<KeyStatus> statuses, DateTimeOffset now)
    {
        int usable = statuses.Count(s => s.IsUsable);
        int cooling = statuses.Count(s => s.Availability is KeyAvailability.Cooling or KeyAvailability.ModelBlocked or KeyAvailability.Busy);
        int disabled = statuses.Count(s => s.Availability is KeyAvailability.Disabled or KeyAvailability.DisabledByHand);
        Html next = usable > 0
            ? Html.Of($"<span class=\"badge ok\">now</span>")
            : statuses.Where(s => s.AvailableAt is not null).Select(s => s.AvailableAt).Min() is { } at
                ? Html.Of($"<span class=\"badge warn\">{Format.Time(at)} (in {ApiKeyManager.FormatSpan(at - now)})</span>")
                : Html.Of($"<span class=\"badge bad\">none comes back by itself</span>");
        return Html.Of($"<tr><th scope=\"row\">{model}</th><td class=\"num\">{usable}</td><td class=\"num\">{cooling}</td><td class=\"num\">{disabled}</td><td>{next}</td></tr>");
    }

    private static Html Warnings(AdminContext admin, IReadOnlyList<KeyStatus> statuses)
    {
        var options = admin.PoolOptions;
        var items = new List<Html>();
        // The manager's health adds the back-off in force (it reads the statuses once more).
        var warnings = admin.Pool is ApiKeyManager manager ? manager.GetHealth().Warnings : SeedWarnings(statuses, options, admin.Time.GetUtcNow());
        items.AddRange(warnings.Select(w => Html.Of($"<li>{w}</li>")));
        foreach (var s in statuses.Where(s => s.State.Failures >= options.AlertAfterConsecutiveFailures))
        {
            var last = s.State.LastError is { } e ? Html.Of($"; last: {e.Kind} at {Format.Time(e.At)}") : Html.Empty;
            items.Add(Html.Of($"<li>Key <a href=\"/admin/keys/{s.Id}\">{s.Mask}</a>: {s.State.Failures} consecutive failures{last}</li>"));
        }

        return items.Count == 0
            ? Html.Of($"<p><span class=\"badge ok\">All good</span> At least {options.MinimumUsableKeys} usable keys, none older than {(int)options.RotationAge.TotalDays} days, no run of failures.</p>")
            : Html.Of($"<ul class=\"warnings\">{items}</ul>");
    }

    /// <summary>The seed's two warnings for a pool without <see cref="ApiKeyManager.GetHealth"/> (Redis).</summary>
    private static List<string> SeedWarnings(IReadOnlyList<KeyStatus> statuses, ApiKeyManagerOptions options, DateTimeOffset now)
    {
        var warnings = new List<string>();
        int usable = statuses.Count(s => s.IsUsable);
        if (usable < options.MinimumUsableKeys)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Only {usable} usable keys of {statuses.Count}: maintain at least {options.MinimumUsableKeys} active keys."));
        }

        warnings.AddRange(statuses.Where(s => now - s.AddedAt > options.RotationAge)
            .Select(s => string.Create(CultureInfo.InvariantCulture, $"Key {s.Mask} was added {(int)(now - s.AddedAt).TotalDays} days ago: rotate keys quarterly.")));
        return warnings;
    }

    /// <summary>The last 24 hours' requests and errors per hour, and the models seen.</summary>
    private static (Html Chart, SortedSet<string> Models) Traffic(AdminContext admin, DateTimeOffset now)
    {
        var models = new SortedSet<string>(StringComparer.Ordinal);
        UsageReport report;
        try
        {
            report = admin.Usage.GetUsage(new UsageQuery { From = now.AddHours(-23), To = now, GroupBy = UsageGrouping.Model, Interval = UsageInterval.Hour });
        }
        catch (UsageStoreException e)
        {
            return (Html.Of($"<p class=\"muted\">No usage statistics: {e.Message}</p>"), models);
        }

        long first = ApiKeys.Usage.Aggregates.HourlyKey.HourOf(now.AddHours(-23));
        var requests = new double[24];
        var errors = new double[24];
        foreach (var row in report.Rows)
        {
            if (row.Group.Length > 0)
            {
                models.Add(row.Group);
            }

            long i = (row.Start!.Value.ToUnixTimeSeconds() / 3600) - first;
            if (i is >= 0 and < 24)
            {
                requests[i] += row.Counts.Requests;
                errors[i] += row.Counts.Failures;
            }
        }

        long[] times = [.. Enumerable.Range(0, 24).Select(i => (first + i) * 3600)];
        string summary = $"{Format.Number(report.Total.Counts.Requests)} requests and {Format.Number(report.Total.Counts.Failures)} errors in the last 24 hours ({report.Source}).";
        return (Charts.Line("traffic", "Requests and errors per hour, last 24 hours (UTC)", summary, times, [("Requests", requests), ("Errors", errors)]), models);
    }
}
