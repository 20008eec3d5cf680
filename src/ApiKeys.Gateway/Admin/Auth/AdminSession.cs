namespace ApiKeys.Gateway.Admin.Auth;

/// <summary>
/// One signed-in browser: its antiforgery token (sent back in a form field or the <c>X-CSRF-Token</c> header with every
/// change), when it began and was last used, and the stamp of the password it signed in with.
/// </summary>
internal sealed class AdminSession
{
    private const string ItemKey = "apikeys.admin.session";

    public AdminSession(string csrf, string passwordStamp, DateTimeOffset now)
    {
        Csrf = csrf;
        PasswordStamp = passwordStamp;
        CreatedAt = now;
        LastSeen = now;
    }

    /// <summary>The antiforgery token of this session (random, 256 bits).</summary>
    public string Csrf { get; }

    public string PasswordStamp { get; }

    public DateTimeOffset CreatedAt { get; }

    /// <summary>The last request (the idle timeout slides from here); written under <see cref="AdminSessions"/>' lock.</summary>
    public DateTimeOffset LastSeen { get; set; }

    /// <summary>The session of the request (set by <see cref="AdminGate"/>); every page past the gate has one.</summary>
    public static AdminSession Of(HttpContext http) =>
        http.Items[ItemKey] as AdminSession ?? throw new InvalidOperationException("an admin page ran without a session");

    public void AttachTo(HttpContext http) => http.Items[ItemKey] = this;

    /// <summary>Shows nothing secret.</summary>
    public override string ToString() => $"admin session since {CreatedAt:u}";
}
