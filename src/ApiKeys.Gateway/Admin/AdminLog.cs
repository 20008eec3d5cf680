namespace ApiKeys.Gateway.Admin;

/// <summary>The dashboard's log lines (event ids 31xx). Never a key, a token, a password or a session id.</summary>
internal static partial class AdminLog
{
    [LoggerMessage(EventId = 3101, EventName = "AdminSignedIn", Level = LogLevel.Information, Message = "Dashboard: signed in from {Address}")]
    public static partial void SignedIn(ILogger logger, string address);

    [LoggerMessage(EventId = 3102, EventName = "AdminSignInFailed", Level = LogLevel.Warning, Message = "Dashboard: a wrong password from {Address}")]
    public static partial void SignInFailed(ILogger logger, string address);

    [LoggerMessage(EventId = 3103, EventName = "AdminSignInThrottled", Level = LogLevel.Warning,
        Message = "Dashboard: sign-in attempts from {Address} refused for {Seconds} s (too many)")]
    public static partial void SignInThrottled(ILogger logger, string address, double seconds);

    [LoggerMessage(EventId = 3104, EventName = "AdminChange", Level = LogLevel.Information, Message = "Dashboard: {Action} {Target}")]
    public static partial void Change(ILogger logger, string action, string target);

    [LoggerMessage(EventId = 3105, EventName = "AdminNoPassword", Level = LogLevel.Information,
        Message = "Dashboard: /admin needs a password first: apikeys admin set-password")]
    public static partial void NoPassword(ILogger logger);

    [LoggerMessage(EventId = 3106, EventName = "AdminPasswordUnreadable", Level = LogLevel.Error,
        Message = "Dashboard: nobody can sign in: {Message}")]
    public static partial void PasswordUnreadable(ILogger logger, string message);
}
