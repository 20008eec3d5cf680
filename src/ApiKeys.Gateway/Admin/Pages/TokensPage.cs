using System.Globalization;
using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Markup;
using ApiKeys.Gateway.Tokens;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>
/// <c>/admin/tokens</c>: the gateway's client tokens (names and limits; the store keeps only HMACs), created with limits
/// (models, requests per minute and day, concurrency, expiry) and shown once on the page that answers the creation, and
/// revoked after a confirmation (the gateway refuses a revoked token from its next request on).
/// </summary>
internal static class TokensPage
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/tokens", ShowAsync);
        admin.MapPost("/tokens", CreateAsync);
        admin.MapGet("/tokens/{name}/revoke", ConfirmRevoke);
        admin.MapPost("/tokens/{name}/revoke", RevokeAsync);
    }

    private static async Task<IResult> ShowAsync(HttpContext http, AdminContext admin, string? notice)
    {
        var session = AdminSession.Of(http);
        var message = notice switch
        {
            "revoked" => Html.Of($"<p class=\"notice ok\" role=\"status\">Token revoked: the gateway refuses it from now on.</p>"),
            "missing" => Html.Of($"<p class=\"notice bad\" role=\"status\">No such token (revoked meanwhile?).</p>"),
            _ => Html.Empty,
        };
        var list = await ListAsync(admin).ConfigureAwait(false);
        return Layout.Page(session, "Client tokens", "/admin/tokens", Html.Of($"{message}{list}{CreateForm(session, null)}"));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, AdminContext admin)
    {
        var session = AdminSession.Of(http);
        var form = await Forms.ReadAsync(http).ConfigureAwait(false);
        CreatedClientToken created;
        try
        {
            var request = new ClientTokenRequest
            {
                Name = Forms.Field(form, "name") ?? "",
                Models = Forms.Field(form, "models") is { } models ? [.. models.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : null,
                RequestsPerMinute = Number(form, "rpm"),
                RequestsPerDay = Number(form, "rpd"),
                MaxConcurrency = Number(form, "concurrency"),
                ExpiresAt = Forms.Field(form, "expires") is { } e ? Expiry(e) : null,
            };
            created = await admin.Backend.Tokens.CreateAsync(request, http.RequestAborted).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            var error = Html.Of($"<p class=\"notice bad\" role=\"alert\">Not created: {e.Message}</p>");
            return Layout.Page(session, "Client tokens", "/admin/tokens", Html.Of($"{error}{CreateForm(session, form)}"), StatusCodes.Status400BadRequest);
        }

        AdminLog.Change(admin.Logger, "created client token", created.Details.Name);
        return Layout.Page(session, "Token created", "/admin/tokens", Html.Of($"""
            <p class="notice ok" role="status">Created the client token <strong>{created.Details.Name}</strong>. Copy it now: it is shown once, here, and the gateway keeps only its HMAC.</p>
            <p><label for="new-token">The token</label></p>
            <p><output id="new-token" class="shown-once mono">{created.Token}</output></p>
            <p>Clients send it where their SDK puts an API key (<code>x-goog-api-key</code>, <code>?key=</code> or <code>Authorization: Bearer</code>).</p>
            <p><a href="/admin/tokens">Back to the tokens</a></p>
            """));
    }

    private static IResult ConfirmRevoke(HttpContext http, string name)
    {
        var session = AdminSession.Of(http);
        return Layout.Page(session, "Revoke a token", "/admin/tokens", Html.Of($"""
            <p>Revoke the client token <strong>{name}</strong>? Every request with it is refused from now on (401); this cannot be undone.</p>
            <form method="post" action="/admin/tokens/{name}/revoke" class="row">{Forms.Csrf(session)}
            <button type="submit" class="danger" autofocus>Revoke {name}</button> <a href="/admin/tokens">Cancel</a></form>
            """));
    }

    private static async Task<IResult> RevokeAsync(HttpContext http, AdminContext admin, string name)
    {
        bool revoked = await admin.Backend.Tokens.RevokeAsync(name, http.RequestAborted).ConfigureAwait(false);
        if (revoked)
        {
            AdminLog.Change(admin.Logger, "revoked client token", name);
        }

        return TypedResults.Redirect("/admin/tokens?notice=" + (revoked ? "revoked" : "missing"));
    }

    private static async Task<Html> ListAsync(AdminContext admin)
    {
        IReadOnlyList<ClientToken> tokens;
        try
        {
            tokens = await admin.Backend.Tokens.ListAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or StackExchange.Redis.RedisException)
        {
            return Html.Of($"<p class=\"notice bad\" role=\"alert\">The tokens cannot be read: {e.Message}</p>");
        }

        var now = admin.Time.GetUtcNow();
        var rows = tokens.Select(t => Html.Of($"""
            <tr><th scope="row">{t.Name}</th><td>{(t.Models is { } m ? string.Join(", ", m) : "every model")}</td><td class="num">{Limit(t.RequestsPerMinute)}</td><td class="num">{Limit(t.RequestsPerDay)}</td>
            <td class="num">{Limit(t.MaxConcurrency)}</td><td>{Format.Time(t.CreatedAt)}</td><td>{(t.ExpiresAt is null ? Html.Of($"never") : t.IsExpired(now) ? Html.Of($"<span class=\"badge bad\">expired</span> {Format.Time(t.ExpiresAt)}") : Format.Time(t.ExpiresAt))}</td>
            <td><a href="/admin/tokens/{t.Name}/revoke" aria-label="Revoke {t.Name}">Revoke</a> <a href="/admin/log?token={Uri.EscapeDataString(t.Name)}">Requests</a></td></tr>
            """)).ToList();
        if (rows.Count == 0)
        {
            rows.Add(Html.Of($"<tr><td colspan=\"8\">No client token yet: the gateway refuses every request until one exists.</td></tr>"));
        }

        return Html.Of($"""
            <section aria-labelledby="list-h"><h2 id="list-h">Tokens</h2><div class="table-wrap"><table>
            <thead><tr><th scope="col">Name</th><th scope="col">Models</th><th scope="col" class="num">Per minute</th><th scope="col" class="num">Per day</th><th scope="col" class="num">At once</th><th scope="col">Created</th><th scope="col">Expires</th><th scope="col">Actions</th></tr></thead>
            <tbody>{rows}</tbody></table></div><p class="muted"><a href="/admin/usage?by=token">Usage by token</a></p></section>
            """);
    }

    private static Html CreateForm(AdminSession session, IFormCollection? previous)
    {
        string? Value(string name) => previous is null ? null : Forms.Field(previous, name);
        return Html.Of($$"""
            <section aria-labelledby="create-h"><h2 id="create-h">Create a token</h2>
            <form method="post" action="/admin/tokens" class="row">{{Forms.Csrf(session)}}
            <div><label for="token-name">Name</label><input id="token-name" name="name" required pattern="[A-Za-z0-9._\-]{1,64}" value="{{Value("name")}}"></div>
            <div><label for="token-models">Models (comma-separated; a prefix ending in *)</label><input id="token-models" name="models" value="{{Value("models")}}" placeholder="every model"></div>
            <div><label for="token-rpm">Requests per minute</label><input id="token-rpm" name="rpm" type="number" min="1" value="{{Value("rpm")}}"></div>
            <div><label for="token-rpd">Requests per day</label><input id="token-rpd" name="rpd" type="number" min="1" value="{{Value("rpd")}}"></div>
            <div><label for="token-concurrency">At once</label><input id="token-concurrency" name="concurrency" type="number" min="1" value="{{Value("concurrency")}}"></div>
            <div><label for="token-expires">Expires (UTC date)</label><input id="token-expires" name="expires" type="date" value="{{Value("expires")}}"></div>
            <button type="submit" class="primary">Create token</button></form></section>
            """);
    }

    private static string Limit(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static int? Number(IFormCollection form, string name) => Forms.Field(form, name) is { } text
        ? int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw new ArgumentException($"{name} must be a whole number; it is '{text}'.")
        : null;

    private static DateTimeOffset Expiry(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            ? at
            : throw new ArgumentException($"the expiry '{text}' is not a date.");
}
