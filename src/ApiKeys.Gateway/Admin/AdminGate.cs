using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Pages;
using Microsoft.AspNetCore.Http.Features;

namespace ApiKeys.Gateway.Admin;

/// <summary>
/// In front of every <c>/admin</c> endpoint, in this order: who may reach it (<see cref="AdminAccess"/>: else 404), the
/// security headers, a body limit, a password set (else the page that says how), a live session (else pages redirect to
/// sign-in, htmx and other calls get 401), and for every change (any method but GET and HEAD) the session's antiforgery token
/// in the <c>_csrf</c> form field or the <c>X-CSRF-Token</c> header (else 400). The time spent is in <c>Server-Timing</c>.
/// </summary>
internal sealed class AdminGate(AdminContext admin) : IEndpointFilter
{
    /// <summary>The largest request body of the dashboard (a .env file to import).</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public const string CsrfField = "_csrf";
    public const string CsrfHeader = "X-CSRF-Token";

    private const string Policy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        long started = Stopwatch.GetTimestamp();
        var http = context.HttpContext;
        if (!AdminAccess.Allowed(admin.Options, http.Connection.RemoteIpAddress, http.Connection.LocalPort))
        {
            return TypedResults.NotFound();
        }

        SecureHeaders(http);
        var result = await CheckAsync(http).ConfigureAwait(false) ?? await next(context).ConfigureAwait(false);
        http.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"app;dur={Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.0}");
        return result;
    }

    /// <summary>Null when the request may go on; else the answer.</summary>
    private async ValueTask<object?> CheckAsync(HttpContext http)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
        {
            body.MaxRequestBodySize = MaxBodyBytes;
        }

        if (http.GetEndpoint()?.Metadata.GetMetadata<AdminPublicAttribute>() is not null)
        {
            return null;
        }

        AdminPassword? password;
        try
        {
            password = await admin.Passwords.ReadAsync(http.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            AdminLog.PasswordUnreadable(admin.Logger, e.Message);
            return SetupPage.Unreadable(e.Message);
        }

        if (password is null)
        {
            return SetupPage.NoPassword(admin);
        }

        var session = admin.Sessions.Find(AdminCookie.Read(http.Request), password.Stamp);
        if (session is null)
        {
            return SignedOut(http);
        }

        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method) && !await HasCsrfAsync(http, session).ConfigureAwait(false))
        {
            return TypedResults.Text("The form's antiforgery token is missing or wrong: reload the page and try again.\n", statusCode: StatusCodes.Status400BadRequest);
        }

        session.AttachTo(http);
        return null;
    }

    private static object SignedOut(HttpContext http)
    {
        bool htmx = http.Request.Headers.ContainsKey("HX-Request");
        if (HttpMethods.IsGet(http.Request.Method) && !htmx)
        {
            string back = http.Request.Path + http.Request.QueryString;
            return TypedResults.Redirect("/admin/signin?return=" + Uri.EscapeDataString(back));
        }

        if (htmx)
        {
            // htmx follows this to the sign-in page instead of swapping a 401 into the page.
            http.Response.Headers["HX-Redirect"] = "/admin/signin";
        }

        return TypedResults.Text("Sign in first: /admin/signin\n", statusCode: StatusCodes.Status401Unauthorized);
    }

    private static async ValueTask<bool> HasCsrfAsync(HttpContext http, AdminSession session)
    {
        string? sent = http.Request.Headers[CsrfHeader].FirstOrDefault();
        if (sent is null && http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
            sent = form[CsrfField].FirstOrDefault();
        }

        return sent is not null
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent), Encoding.UTF8.GetBytes(session.Csrf));
    }

    private static void SecureHeaders(HttpContext http)
    {
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = Policy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Cross-Origin-Resource-Policy"] = "same-origin";
        // Pages hold the pool's state and the session's antiforgery token: not kept by the browser or a proxy. Assets say otherwise.
        headers.CacheControl = "no-store";
    }
}
