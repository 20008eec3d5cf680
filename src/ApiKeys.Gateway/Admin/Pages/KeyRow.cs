using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Markup;
using ApiKeys.Pool;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>One key as a row of the keys table: its mask (never more), state, why and until when, failures, last use, today's usage, and its actions.</summary>
internal static class KeyRow
{
    public const int Columns = 10;

    public static Html Header => Html.Of($"""
        <thead><tr><th scope="col" class="num">#</th><th scope="col">Key</th><th scope="col">Label</th><th scope="col">Project</th><th scope="col">State</th>
        <th scope="col">Why, until when</th><th scope="col" class="num">Failures</th><th scope="col">Last used</th><th scope="col" class="num">Today</th><th scope="col">Actions</th></tr></thead>
        """);

    public static Html Render(KeyStatus key, KeyUsageTotal? today, AdminSession session, DateTimeOffset now)
    {
        string target = $"#key-{key.Id}";
        bool byHand = key.Availability == KeyAvailability.DisabledByHand;
        var toggle = byHand || key.Availability == KeyAvailability.Disabled
            ? Forms.Button(session, $"/admin/keys/{key.Id}/enable", "Enable", $"Enable {key.Mask}", $"toggle-{key.Id}", target)
            : Forms.Button(session, $"/admin/keys/{key.Id}/disable", "Disable", $"Disable {key.Mask}", $"toggle-{key.Id}", target);
        var usage = today is null
            ? Html.Of($"<span class=\"muted\">0</span>")
            : Html.Of($"{Format.Number(today.Requests)} req<br><span class=\"muted\">{Format.Number(today.InputTokens + today.OutputTokens)} tok</span>");
        return Html.Of($"""
            <tr id="key-{key.Id}"><td class="num">{key.Number}</td><td><a class="mono" href="/admin/keys/{key.Id}">{key.Mask}</a></td>
            <td>{key.Label}</td><td>{key.Project}</td><td>{State(key, now)}</td><td>{Why(key, now)}</td>
            <td class="num">{key.State.Failures}<br><span class="muted">{Format.Number(key.State.TotalFailures)} total</span></td>
            <td>{Format.Time(key.State.LastUsed)}</td><td class="num">{usage}</td>
            <td class="actions"><div class="acts">{toggle}{Forms.Button(session, $"/admin/keys/{key.Id}/reset", "Reset", $"Reset {key.Mask}", $"reset-{key.Id}", target)}{Forms.Button(session, $"/admin/keys/{key.Id}/check", "Check", $"Check {key.Mask} now", $"check-{key.Id}", target)}<a href="/admin/keys/{key.Id}/remove" aria-label="Remove {key.Mask}">Remove</a></div></td></tr>
            """);
    }

    /// <summary>A badge for the key's state; a key usable in general but cooling for some models says so.</summary>
    public static Html State(KeyStatus key, DateTimeOffset now) => key.Availability switch
    {
        KeyAvailability.Available when key.BlockedModels.Count > 0 => Html.Of($"<span class=\"badge warn\">cooling for {key.BlockedModels.Count} model{(key.BlockedModels.Count == 1 ? "" : "s")}</span>"),
        KeyAvailability.Available => Html.Of($"<span class=\"badge ok\">usable</span>"),
        KeyAvailability.Cooling => Html.Of($"<span class=\"badge warn\">cooling</span>"),
        KeyAvailability.Busy => Html.Of($"<span class=\"badge warn\">busy</span>"),
        KeyAvailability.DisabledByHand => Html.Of($"<span class=\"badge bad\">disabled by hand</span>"),
        _ => Html.Of($"<span class=\"badge bad\">disabled</span>"),
    };

    /// <summary>Why the key (or one of its models) is out, and until when.</summary>
    public static Html Why(KeyStatus key, DateTimeOffset now)
    {
        var parts = new List<Html>();
        if (key.Availability == KeyAvailability.Cooling)
        {
            parts.Add(Html.Of($"{key.State.BlockKind?.ToString() ?? "failures"}: {Format.Until(key.AvailableAt, now)}"));
        }
        else if (key.Reason is { } reason)
        {
            parts.Add(Html.Of($"{reason}"));
        }

        foreach (var (model, block) in key.BlockedModels.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            parts.Add(Html.Of($"{model}: {block.Kind} {Format.Until(block.Until, now)}"));
        }

        if (parts.Count > 0 && key.State.LastError is { Message: { Length: > 0 } message })
        {
            parts.Add(Html.Of($"<span class=\"muted\">{Shorten(message)}</span>"));
        }

        return Html.Join(parts.Select((p, i) => i == 0 ? p : Html.Of($"<br>{p}")));
    }

    private static string Shorten(string text) => text.Length <= 160 ? text : text[..157] + "...";
}
