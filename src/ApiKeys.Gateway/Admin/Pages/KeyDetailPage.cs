using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Markup;
using ApiKeys.Pool;
using ApiKeys.Usage;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary><c>/admin/keys/{id}</c>: one key's state, its outcomes over time by kind, its usage per model, and its cooldown history.</summary>
internal static class KeyDetailPage
{
    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/keys/{id}", Show);

    private static IResult Show(HttpContext http, AdminContext admin, string id, string? since)
    {
        var session = AdminSession.Of(http);
        var now = admin.Time.GetUtcNow();
        var key = PoolReads.StatusOf(admin.Pool, id);
        if (key is null)
        {
            return Layout.Page(session, "No such key", "/admin/keys", Html.Of($"<p>No key has the id {id}. <a href=\"/admin/keys\">Back to the keys</a></p>"), StatusCodes.Status404NotFound);
        }

        var range = UsagePage.Range(since, now);
        Html usage;
        try
        {
            usage = Html.Of($"{Outcomes(admin, id, range, now)}{PerModel(admin, id, range, now)}{History(admin, id, now)}");
        }
        catch (UsageStoreException e)
        {
            usage = Html.Of($"<p class=\"muted\">No usage statistics: {e.Message}</p>");
        }

        var body = Html.Of($"""
            <p><a href="/admin/keys">All keys</a></p>
            <section aria-labelledby="state-h"><h2 id="state-h">State</h2>{State(key, now)}</section>
            <nav class="pager" aria-label="Time range">{UsagePage.RangeLinks($"/admin/keys/{id}?", range.Name)}</nav>
            {usage}
            """);
        return Layout.Page(session, $"Key {key.Mask}", "/admin/keys", body);
    }

    private static Html State(KeyStatus key, DateTimeOffset now)
    {
        var error = key.State.LastError is { } e ? Html.Of($"{e.Kind} at {Format.Time(e.At)}: {e.Message}") : Html.Of($"<span class=\"muted\">none</span>");
        var why = KeyRow.Why(key, now);
        return Html.Of($"""
            <div class="table-wrap"><table><tbody>
            <tr><th scope="row">Key</th><td class="mono">{key.Mask} ({key.Id})</td></tr>
            <tr><th scope="row">Label, project</th><td>{key.Label ?? "-"}, {key.Project ?? "-"} ({key.Provider})</td></tr>
            <tr><th scope="row">Added</th><td>{Format.Time(key.AddedAt)}</td></tr>
            <tr><th scope="row">State</th><td>{KeyRow.State(key, now)} {why}</td></tr>
            <tr><th scope="row">Failures</th><td>{key.State.Failures} in a row; {Format.Number(key.State.TotalFailures)} failures and {Format.Number(key.State.TotalSuccesses)} successes in all; cooldown level {key.State.CooldownLevel}</td></tr>
            <tr><th scope="row">Last used</th><td>{Format.Time(key.State.LastUsed)}</td></tr>
            <tr><th scope="row">Last error</th><td>{error}</td></tr>
            </tbody></table></div>
            """);
    }

    private static Html Outcomes(AdminContext admin, string id, UsageRange range, DateTimeOffset now)
    {
        var report = admin.Usage.GetUsage(new UsageQuery { From = range.From, To = now, GroupBy = UsageGrouping.Outcome, Interval = range.Interval, KeyId = id });
        var chart = UsagePage.Chart("key-outcomes", $"Requests by outcome per {range.Interval.ToString().ToLowerInvariant()}, {range.Label}", report, range, now, "outcome");
        return Html.Of($"<section aria-labelledby=\"outcomes-h\"><h2 id=\"outcomes-h\">Failures over time by kind</h2>{chart}</section>");
    }

    private static Html PerModel(AdminContext admin, string id, UsageRange range, DateTimeOffset now)
    {
        var report = admin.Usage.GetUsage(new UsageQuery { From = range.From, To = now, GroupBy = UsageGrouping.Model, KeyId = id });
        return Html.Of($"<section aria-labelledby=\"models-h\"><h2 id=\"models-h\">Usage per model, {range.Label}</h2>{UsagePage.Table(report, "Model")}</section>");
    }

    private static Html History(AdminContext admin, string id, DateTimeOffset now)
    {
        var entries = admin.Usage.GetKeyHistory(id, now.AddDays(-30), 200);
        var rows = entries.Select(e => Html.Of($"<tr><td>{Format.Time(e.At)}</td><td>{e.Kind}</td><td>{e.Failure}</td><td>{e.Model}</td><td>{(e.Until is { } u ? Format.Time(u) : Html.Empty)}</td><td>{e.Reason}</td></tr>")).ToList();
        if (rows.Count == 0)
        {
            rows.Add(Html.Of($"<tr><td colspan=\"6\">No cooldown, disable or restore in the last 30 days.</td></tr>"));
        }

        return Html.Of($"""
            <section aria-labelledby="history-h"><h2 id="history-h">Cooldown history (30 days, newest first)</h2>
            <div class="table-wrap"><table><thead><tr><th scope="col">When</th><th scope="col">What</th><th scope="col">Failure</th><th scope="col">Model</th><th scope="col">Until</th><th scope="col">Reason</th></tr></thead>
            <tbody>{rows}</tbody></table></div></section>
            """);
    }
}
