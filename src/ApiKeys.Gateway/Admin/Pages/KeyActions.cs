using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Markup;
using ApiKeys.Pool;
using ApiKeys.Redis;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>
/// The keys' actions: add (from a password field; only the mask is ever shown back), enable, disable, reset, check now
/// (<see cref="Http.Validation.KeyValidator"/>: a model list, no quota spent), and remove after a confirmation page. htmx
/// gets the key's row back; a plain form post is redirected to the keys page with a notice.
/// </summary>
internal static class KeyActions
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapPost("/keys", AddAsync);
        // Three routes, not a regex constraint: the slim builder (NativeAOT) registers none.
        admin.MapPost("/keys/{id}/enable", (HttpContext http, AdminContext a, string id) => Switch(http, a, id, "enable"));
        admin.MapPost("/keys/{id}/disable", (HttpContext http, AdminContext a, string id) => Switch(http, a, id, "disable"));
        admin.MapPost("/keys/{id}/reset", (HttpContext http, AdminContext a, string id) => Switch(http, a, id, "reset"));
        admin.MapPost("/keys/{id}/check", CheckAsync);
        admin.MapGet("/keys/{id}/remove", ConfirmRemove);
        admin.MapPost("/keys/{id}/remove", Remove);
    }

    private static async Task<IResult> AddAsync(HttpContext http, AdminContext admin)
    {
        if (admin.Pool is not ApiKeyManager manager)
        {
            return TypedResults.Redirect(KeyNotices.Url("redis"));
        }

        var form = await Forms.ReadAsync(http).ConfigureAwait(false);
        string secret = form["key"].FirstOrDefault() ?? "";
        var result = manager.AddKey(secret, Forms.Field(form, "label"), Forms.Field(form, "project"), form["allowUnknown"] == "true" ? true : null);
        string code = result.Status switch
        {
            AddKeyStatus.Added when result.SaveError is not null => "saved-later",
            AddKeyStatus.Added => "added",
            AddKeyStatus.Duplicate => "duplicate",
            AddKeyStatus.MalformedGemini => "malformed-gemini",
            AddKeyStatus.UnknownFormat => "unknown-format",
            _ => "malformed",
        };
        if (result.Added)
        {
            AdminLog.Change(admin.Logger, "added key", result.KeyId!);
        }

        return TypedResults.Redirect(KeyNotices.Url(code, result.KeyId));
    }

    private static IResult Switch(HttpContext http, AdminContext admin, string id, string action)
    {
        bool found = (admin.Pool, action) switch
        {
            (ApiKeyManager m, "enable") => m.Enable(id),
            (ApiKeyManager m, "disable") => m.Disable(id),
            (ApiKeyManager m, _) => m.Reset(id),
            (RedisKeyPool r, "reset") => r.Reset(id),
            (RedisKeyPool r, "enable") => r.Revalidated(id, valid: true),
            _ => false,
        };
        if (!found)
        {
            return Answer(http, admin, id, admin.Pool is RedisKeyPool ? "redis" : "missing");
        }

        string done = action == "reset" ? "reset" : action + "d";
        AdminLog.Change(admin.Logger, done + " key", id);
        return Answer(http, admin, id, done);
    }

    private static async Task<IResult> CheckAsync(HttpContext http, AdminContext admin, string id)
    {
        if (!admin.Pool.Keys.Any(k => k.Id == id))
        {
            return Answer(http, admin, id, "missing");
        }

        var results = await admin.Validator.ValidateAsync(admin.Pool, [id], admin.Upstream, cancellationToken: http.RequestAborted).ConfigureAwait(false);
        AdminLog.Change(admin.Logger, "checked key", id);
        return Answer(http, admin, id, "checked-" + results[0].Outcome);
    }

    private static IResult ConfirmRemove(HttpContext http, AdminContext admin, string id)
    {
        var session = AdminSession.Of(http);
        var key = PoolReads.StatusOf(admin.Pool, id);
        if (key is null)
        {
            return TypedResults.Redirect(KeyNotices.Url("missing"));
        }

        return Layout.Page(session, "Remove a key", "/admin/keys", Html.Of($"""
            <p>Remove <strong class="mono">{key.Mask}</strong>{(key.Label is null ? "" : " (" + key.Label + ")")} from the pool and the store? Requests stop using it at once; its usage history stays.</p>
            <form method="post" action="/admin/keys/{key.Id}/remove" class="row">{Forms.Csrf(session)}
            <button type="submit" class="danger" autofocus>Remove {key.Mask}</button> <a href="/admin/keys">Cancel</a></form>
            """));
    }

    private static RedirectHttpResult Remove(AdminContext admin, string id)
    {
        if (admin.Pool is not ApiKeyManager manager)
        {
            return TypedResults.Redirect(KeyNotices.Url("redis"));
        }

        if (!manager.RemoveKey(id))
        {
            return TypedResults.Redirect(KeyNotices.Url("missing"));
        }

        AdminLog.Change(admin.Logger, "removed key", id);
        return TypedResults.Redirect(KeyNotices.Url("removed"));
    }

    /// <summary>htmx: the key's row (and the notice, out of band); a form post: back to the keys page with the notice.</summary>
    private static IResult Answer(HttpContext http, AdminContext admin, string id, string code)
    {
        if (!Forms.IsHtmx(http))
        {
            return TypedResults.Redirect(KeyNotices.Url(code, id));
        }

        var now = admin.Time.GetUtcNow();
        var key = PoolReads.StatusOf(admin.Pool, id);
        var row = key is null ? Html.Empty : KeyRow.Render(key, KeysPage.Today(admin, [key], now).GetValueOrDefault(key.Id), AdminSession.Of(http), now);
        // The notice goes out of band, inside a template: a <div> beside a <tr> would not survive HTML's table parsing.
        return Layout.Fragment(Html.Of($"{row}<template><div id=\"notices\" hx-swap-oob=\"true\">{KeyNotices.Render(code, key?.Mask)}</div></template>"));
    }
}
