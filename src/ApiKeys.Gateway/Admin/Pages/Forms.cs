using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Markup;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>Pieces of forms: the antiforgery field, and reading a submitted form.</summary>
internal static class Forms
{
    /// <summary>The session's antiforgery token as a hidden field (every form that changes something has one).</summary>
    public static Html Csrf(AdminSession session) => Html.Of($"<input type=\"hidden\" name=\"{AdminGate.CsrfField}\" value=\"{session.Csrf}\">");

    /// <summary>A form that posts to <paramref name="action"/> with one button (an action on a row of a table).</summary>
    public static Html Button(AdminSession session, string action, string label, string accessibleName, string? id = null, string? htmxTarget = null)
    {
        var htmx = htmxTarget is null ? Html.Empty : Html.Of($" hx-post=\"{action}\" hx-target=\"{htmxTarget}\" hx-swap=\"outerHTML\"");
        var idAttribute = id is null ? Html.Empty : Html.Of($" id=\"{id}\"");
        return Html.Of($"<form method=\"post\" action=\"{action}\" class=\"inline\"{htmx}>{Csrf(session)}<button type=\"submit\"{idAttribute} aria-label=\"{accessibleName}\">{label}</button></form>");
    }

    /// <summary>The submitted form (the gate has read it already when it checked the antiforgery field).</summary>
    public static async Task<IFormCollection> ReadAsync(HttpContext http) =>
        http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false) : FormCollection.Empty;

    /// <summary>A field's trimmed value, or null when empty.</summary>
    public static string? Field(IFormCollection form, string name) => form[name].FirstOrDefault()?.Trim() is { Length: > 0 } value ? value : null;

    /// <summary>Whether the request came from htmx (it wants a fragment, not a page).</summary>
    public static bool IsHtmx(HttpContext http) => http.Request.Headers.ContainsKey("HX-Request");
}
