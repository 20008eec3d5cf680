using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Markup;
using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Usage;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>
/// <c>/admin/keys</c>: the keys, 50 a page (filtered by text and state), with today's usage (since midnight Pacific, when
/// Gemini's daily quotas reset) summed in SQL for the page's keys only; the forms to add a key (a password field: the key is
/// never shown back) and to import a .env file. The actions are in <see cref="KeyActions"/>.
/// </summary>
internal static class KeysPage
{
    public const int PageSize = 50;

    public static void Map(RouteGroupBuilder admin) => admin.MapGet("/keys", Show);

    private static IResult Show(HttpContext http, AdminContext admin, int? page, string? q, string? state, string? notice, string? id)
    {
        var session = AdminSession.Of(http);
        var now = admin.Time.GetUtcNow();
        var keys = admin.Pool.Keys;
        var (matching, shownFrom) = Find(admin.Pool, keys, q, state);
        int pages = Math.Max(1, (matching + PageSize - 1) / PageSize);
        int current = Math.Clamp(page ?? 1, 1, pages);
        var shown = shownFrom((current - 1) * PageSize);
        var today = Today(admin, shown, now);
        var rows = shown.Select(s => KeyRow.Render(s, today.GetValueOrDefault(s.Id), session, now)).ToList();
        if (rows.Count == 0)
        {
            rows.Add(Html.Of($"<tr><td colspan=\"{KeyRow.Columns}\">No key matches.</td></tr>"));
        }

        string first = matching == 0 ? "0" : Format.Number(((current - 1) * PageSize) + 1);
        var body = Html.Of($"""
            <div id="notices">{KeyNotices.Render(notice, PoolReads.MaskOf(admin.Pool, id))}</div>
            <section aria-labelledby="add-h"><h2 id="add-h">Add keys</h2>{AddForms(session)}</section>
            <section aria-labelledby="list-h"><h2 id="list-h">Keys</h2>{FilterForm(q, state)}
            <div class="table-wrap"><table><caption>Keys {first}-{Format.Number(((current - 1) * PageSize) + shown.Count)} of {Format.Number(matching)} ({Format.Number(keys.Count)} in the pool); today counts requests since midnight Pacific time</caption>
            {KeyRow.Header}<tbody>{rows}</tbody></table></div>{Pager(current, pages, q, state)}</section>
            """);
        return Layout.Page(session, "Keys", "/admin/keys", body);
    }

    /// <summary>Today's requests and tokens of the shown keys (none when the statistics cannot be read: the page still shows the keys).</summary>
    public static IReadOnlyDictionary<string, KeyUsageTotal> Today(AdminContext admin, List<KeyStatus> shown, DateTimeOffset now)
    {
        try
        {
            return admin.Usage.GetKeyTotals([.. shown.Select(s => s.Id)], Format.PacificMidnight(now, admin.PoolOptions.DailyQuotaTimeZone), now);
        }
        catch (UsageStoreException)
        {
            return new Dictionary<string, KeyUsageTotal>();
        }
    }

    /// <summary>
    /// How many keys match, and the page from an offset. Without a state filter, the text is matched on the keys' identity
    /// (mask, id, label, project: no status built) and only the page's 50 statuses are read; a state needs every status.
    /// </summary>
    private static (int Count, Func<int, List<KeyStatus>> Page) Find(IKeyPool pool, IReadOnlyList<ApiKey> keys, string? q, string? state)
    {
        string text = q?.Trim() ?? "";
        if (string.IsNullOrEmpty(state) || state == "all")
        {
            var found = text.Length == 0 ? keys : [.. keys.Where(k => Matches(text, k.Mask, k.Id, k.Label, k.Project))];
            return (found.Count, skip => PoolReads.StatusesOf(pool, found.Skip(skip).Take(PageSize)));
        }

        var statuses = pool.GetStatuses().Where(s => InState(s, state) && Matches(text, s.Mask, s.Id, s.Label, s.Project)).ToList();
        return (statuses.Count, skip => [.. statuses.Skip(skip).Take(PageSize)]);
    }

    private static bool Matches(string q, string mask, string id, string? label, string? project) =>
        q.Length == 0
        || mask.Contains(q, StringComparison.OrdinalIgnoreCase)
        || id.Contains(q, StringComparison.OrdinalIgnoreCase)
        || (label?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false)
        || (project?.Contains(q, StringComparison.OrdinalIgnoreCase) ?? false);

    private static bool InState(KeyStatus key, string? state) => state switch
    {
        "usable" => key.IsUsable && key.BlockedModels.Count == 0,
        "cooling" => key.Availability is KeyAvailability.Cooling or KeyAvailability.Busy || (key.IsUsable && key.BlockedModels.Count > 0),
        "disabled" => key.Availability is KeyAvailability.Disabled or KeyAvailability.DisabledByHand,
        _ => true,
    };

    private static Html AddForms(AdminSession session) => Html.Of($"""
        <form method="post" action="/admin/keys" class="row" autocomplete="off">{Forms.Csrf(session)}
        <div><label for="add-key">API key (pasted here, never shown again)</label><input type="password" id="add-key" name="key" required autocomplete="off" spellcheck="false" size="44"></div>
        <div><label for="add-label">Label</label><input id="add-label" name="label" maxlength="100"></div>
        <div><label for="add-project">Project</label><input id="add-project" name="project" maxlength="100"></div>
        <div><label><input type="checkbox" name="allowUnknown" value="true"> Accept an unknown format</label></div>
        <button type="submit" class="primary">Add key</button></form>
        <form method="post" action="/admin/keys/import" class="row" enctype="multipart/form-data">{Forms.Csrf(session)}
        <div><label for="import-file">A .env file</label><input type="file" id="import-file" name="file" required accept=".env,text/plain"></div>
        <div><label for="import-prefix">Only variables starting with</label><input id="import-prefix" name="prefix" placeholder="GEMINI_KEY_ (default: names with KEY)"></div>
        <button type="submit">Import</button></form>
        """);

    private static Html FilterForm(string? q, string? state)
    {
        var options = new[] { ("", "every state"), ("usable", "usable"), ("cooling", "cooling"), ("disabled", "disabled") }
            .Select(o => o.Item1 == (state ?? "")
                ? Html.Of($"<option value=\"{o.Item1}\" selected>{o.Item2}</option>")
                : Html.Of($"<option value=\"{o.Item1}\">{o.Item2}</option>"));
        return Html.Of($"""
            <form method="get" action="/admin/keys" class="row" role="search">
            <div><label for="filter-q">Find (mask, id, label, project)</label><input id="filter-q" name="q" value="{q}" type="search"></div>
            <div><label for="filter-state">State</label><select id="filter-state" name="state">{options}</select></div>
            <button type="submit">Filter</button></form>
            """);
    }

    private static Html Pager(int current, int pages, string? q, string? state)
    {
        string query = (string.IsNullOrWhiteSpace(q) ? "" : "&q=" + Uri.EscapeDataString(q)) + (string.IsNullOrWhiteSpace(state) ? "" : "&state=" + Uri.EscapeDataString(state));
        var previous = current > 1 ? Html.Of($"<a href=\"/admin/keys?page={current - 1}{query}\" rel=\"prev\">Previous page</a>") : Html.Empty;
        var next = current < pages ? Html.Of($"<a href=\"/admin/keys?page={current + 1}{query}\" rel=\"next\">Next page</a>") : Html.Empty;
        return Html.Of($"<nav class=\"pager\" aria-label=\"Pages of keys\">{previous}<span>Page {current} of {pages}</span>{next}</nav>");
    }
}
