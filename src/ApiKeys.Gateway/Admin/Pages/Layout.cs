using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Markup;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>
/// The frame of every page: the head (styles, and scripts from files only: the Content-Security-Policy allows no inline
/// script), a skip link, the navigation with the current page marked for screen readers, sign-out, and the main region.
/// htmx sends the session's antiforgery token with every request it makes (<c>hx-headers</c>); its history cache, which would
/// copy pages into localStorage, is off.
/// </summary>
internal static class Layout
{
    private static readonly (string Href, string Name)[] Sections =
    [
        ("/admin", "Overview"), ("/admin/keys", "Keys"), ("/admin/usage", "Usage"), ("/admin/log", "Request log"), ("/admin/tokens", "Tokens"),
    ];

    /// <summary>A page of the signed-in dashboard.</summary>
    public static IResult Page(AdminSession session, string title, string section, Html body, int status = StatusCodes.Status200OK)
    {
        var nav = Sections.Select(s => s.Href == section
            ? Html.Of($"<li><a href=\"{s.Href}\" aria-current=\"page\">{s.Name}</a></li>")
            : Html.Of($"<li><a href=\"{s.Href}\">{s.Name}</a></li>"));
        var header = Html.Of($"""
            <header class="top"><nav aria-label="Dashboard sections"><span class="brand">apikeys</span><ul>{nav}</ul></nav>
            <form method="post" action="/admin/signout" class="signout">{Forms.Csrf(session)}<button type="submit">Sign out</button></form></header>
            """);
        return Document(title, Html.Of($"<body hx-headers='{{\"{AdminGate.CsrfHeader}\": \"{session.Csrf}\"}}'>{Skip}{header}<main id=\"main\" tabindex=\"-1\"><h1>{title}</h1>{body}</main></body>"), status);
    }

    /// <summary>A page outside the session (sign-in, set-up): no navigation.</summary>
    public static IResult Bare(string title, Html body, int status = StatusCodes.Status200OK) =>
        Document(title, Html.Of($"<body class=\"bare\"><main id=\"main\"><h1>{title}</h1>{body}</main></body>"), status);

    /// <summary>A fragment for htmx (a table row, a status line).</summary>
    public static IResult Fragment(Html html) => TypedResults.Text(html.ToString(), "text/html; charset=utf-8");

    private static Html Skip => Html.Of($"<a class=\"skip\" href=\"#main\">Skip to the content</a>");

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Document(string title, Html body, int status)
    {
        var html = Html.Of($$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false,"historyEnabled":false,"historyCacheSize":0,"selfRequestsOnly":true}'>
            <title>{{title}} - apikeys</title>
            <link rel="stylesheet" href="{{AdminAssets.Url(AdminAssets.Style)}}"><link rel="stylesheet" href="{{AdminAssets.Url(AdminAssets.UPlotCss)}}">
            <script src="{{AdminAssets.Url(AdminAssets.Htmx)}}" defer></script><script src="{{AdminAssets.Url(AdminAssets.UPlot)}}" defer></script>
            <script src="{{AdminAssets.Url(AdminAssets.Script)}}" defer></script></head>
            {{body}}</html>
            """);
        return TypedResults.Text(html.ToString(), "text/html; charset=utf-8", statusCode: status);
    }
}
