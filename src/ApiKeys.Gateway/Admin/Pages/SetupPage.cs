using ApiKeys.Gateway.Admin.Markup;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>What <c>/admin</c> shows before a password is set (how to set one, and nothing else), or when it cannot be read.</summary>
internal static class SetupPage
{
    public static IResult NoPassword(AdminContext admin)
    {
        AdminLog.NoPassword(admin.Logger);
        string redis = admin.Backend.Redis is null ? "" : " --redis CONNECTION --pool NAME";
        return Layout.Bare("Set an admin password", Html.Of($"""
            <p>The dashboard needs a password before anyone can sign in. On the gateway's machine, run:</p>
            <pre><code>apikeys admin set-password{redis}</code></pre>
            <p>It asks for the password twice with the input hidden (or reads it from standard input with <code>--stdin</code>),
            and keeps only a slow hash of it. Then reload this page.</p>
            """), StatusCodes.Status503ServiceUnavailable);
    }

    public static IResult Unreadable(string message) => Layout.Bare("The admin password cannot be read", Html.Of($"""
        <p>{message}</p>
        <p>Nobody can sign in until it is fixed: <code>apikeys admin set-password</code> writes it again.</p>
        """), StatusCodes.Status503ServiceUnavailable);
}
