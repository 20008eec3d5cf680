namespace ApiKeys.Gateway.Admin;

/// <summary>
/// The session cookie: HttpOnly, SameSite=Strict, no expiry (the server ends sessions). Under TLS it is Secure and named
/// with the <c>__Host-</c> prefix (Path=/, no Domain: only this origin can set or read it); over plain HTTP (loopback) it
/// is scoped to <c>/admin</c>.
/// </summary>
internal static class AdminCookie
{
    private const string Plain = "apikeys-admin";
    private const string Tls = "__Host-apikeys-admin";

    public static string? Read(HttpRequest request) => request.Cookies[request.IsHttps ? Tls : Plain];

    public static void Write(HttpResponse response, string value) =>
        response.Cookies.Append(response.HttpContext.Request.IsHttps ? Tls : Plain, value, Options(response.HttpContext.Request));

    public static void Delete(HttpResponse response) =>
        response.Cookies.Delete(response.HttpContext.Request.IsHttps ? Tls : Plain, Options(response.HttpContext.Request));

    private static CookieOptions Options(HttpRequest request) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = request.IsHttps,
        Path = request.IsHttps ? "/" : "/admin",
        IsEssential = true,
    };
}
