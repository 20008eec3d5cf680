using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Admin.Markup;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>
/// Sign-in and sign-out. A sign-in costs a permit of the throttle whether it succeeds or not (429 with Retry-After when none
/// is left); the password is checked against its slow hash in constant time; a success starts a session and sets its cookie.
/// </summary>
internal static class SignInPage
{
    public static void Map(RouteGroupBuilder admin)
    {
        admin.MapGet("/signin", ShowAsync).WithMetadata(new AdminPublicAttribute());
        admin.MapPost("/signin", SignInAsync).WithMetadata(new AdminPublicAttribute());
        admin.MapPost("/signout", SignOut);
    }

    private static async Task<IResult> ShowAsync(AdminContext admin, string? @return)
    {
        var password = await ReadPasswordAsync(admin).ConfigureAwait(false);
        return password.Result ?? Form(@return, null, StatusCodes.Status200OK);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, AdminContext admin)
    {
        var password = await ReadPasswordAsync(admin).ConfigureAwait(false);
        if (password.Result is { } unavailable)
        {
            return unavailable;
        }

        var form = await Forms.ReadAsync(http).ConfigureAwait(false);
        string back = SafeReturn(Forms.Field(form, "return"));
        string address = http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (!admin.Throttle.TryAttempt(http.Connection.RemoteIpAddress, out var retryAfter))
        {
            AdminLog.SignInThrottled(admin.Logger, address, Math.Ceiling(retryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Form(back, $"Too many sign-in attempts: try again in {ApiKeyManager.FormatSpan(retryAfter)}.", StatusCodes.Status429TooManyRequests);
        }

        string typed = form["password"].FirstOrDefault() ?? "";
        if (!password.Value!.Verify(typed))
        {
            AdminLog.SignInFailed(admin.Logger, address);
            return Form(back, "Wrong password.", StatusCodes.Status401Unauthorized);
        }

        var (cookie, _) = admin.Sessions.Start(password.Value.Stamp);
        AdminCookie.Write(http.Response, cookie);
        AdminLog.SignedIn(admin.Logger, address);
        return TypedResults.Redirect(back);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.RedirectHttpResult SignOut(HttpContext http, AdminContext admin)
    {
        admin.Sessions.End(AdminCookie.Read(http.Request));
        AdminCookie.Delete(http.Response);
        return TypedResults.Redirect("/admin/signin");
    }

    private static async Task<(AdminPassword? Value, IResult? Result)> ReadPasswordAsync(AdminContext admin)
    {
        try
        {
            var password = await admin.Passwords.ReadAsync().ConfigureAwait(false);
            return password is null ? (null, SetupPage.NoPassword(admin)) : (password, null);
        }
        catch (InvalidDataException e)
        {
            AdminLog.PasswordUnreadable(admin.Logger, e.Message);
            return (null, SetupPage.Unreadable(e.Message));
        }
    }

    private static IResult Form(string? back, string? error, int status)
    {
        var message = error is null ? Html.Empty : Html.Of($"<p class=\"error\" role=\"alert\" id=\"signin-error\">{error}</p>");
        var described = error is null ? Html.Empty : Html.Of($" aria-describedby=\"signin-error\"");
        return Layout.Bare("Sign in", Html.Of($"""
            {message}
            <form method="post" action="/admin/signin" class="stack">
            <input type="hidden" name="return" value="{SafeReturn(back)}">
            <label for="password">Admin password</label>
            <input type="password" id="password" name="password" autocomplete="current-password" required autofocus{described}>
            <button type="submit">Sign in</button>
            </form>
            <p class="muted">Set or change it on the gateway's machine: <code>apikeys admin set-password</code>.</p>
            """), status);
    }

    /// <summary>Where to go after sign-in: a dashboard path only (never another site: no scheme, no <c>//</c>).</summary>
    private static string SafeReturn(string? back) =>
        back is { Length: > 0 and < 500 } && back.StartsWith("/admin", StringComparison.Ordinal) && !back.Contains("//", StringComparison.Ordinal)
            && !back.Contains('\\', StringComparison.Ordinal) && !back.StartsWith("/admin/signin", StringComparison.Ordinal)
            ? back
            : "/admin";
}
