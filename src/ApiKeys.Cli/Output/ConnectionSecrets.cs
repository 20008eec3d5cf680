using System.Text.RegularExpressions;

namespace ApiKeys.Cli.Output;

/// <summary>
/// Credentials in connection strings (<c>status --redis</c>): a StackExchange.Redis <c>password=...</c>, or the user
/// information of a URL (<c>redis://user:password@host</c>). Every line the tool shows has them masked as <c>***</c>
/// (<see cref="CliContext.Redact"/>), and the values found in the connection string given are masked wherever they
/// appear (a client library's message or a stack trace may repeat them in another form).
/// </summary>
internal static partial class ConnectionSecrets
{
    /// <summary>The shortest password masked wherever it appears: a shorter one would mask ordinary letters of the output.</summary>
    public const int MinHiddenLength = 4;

    /// <summary><paramref name="text"/> with <c>password=</c> values (not a <c>...</c> placeholder) and URL user information masked.</summary>
    public static string Mask(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('@', StringComparison.Ordinal) && !text.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            return text;
        }

        return UrlUserInfo().Replace(PasswordOption().Replace(text, "${name}***"), "${scheme}***@");
    }

    /// <summary>The secrets of <paramref name="connection"/>: each <c>password=</c> value, and what precedes <c>@</c> in an endpoint.</summary>
    public static IEnumerable<string> Find(string connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        foreach (var raw in connection.Split(','))
        {
            string part = raw.Trim();
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            int at = part.LastIndexOf('@');
            string? secret = null;
            if (eq > 0 && part[..eq].Trim().Equals("password", StringComparison.OrdinalIgnoreCase))
            {
                secret = part[(eq + 1)..].Trim();
            }
            else if (eq < 0 && at > 0)
            {
                // host@... is no endpoint StackExchange.Redis knows: redis://:password@host, user:password@host, password@host.
                string userInfo = part[..at];
                int scheme = userInfo.IndexOf("://", StringComparison.Ordinal);
                userInfo = scheme >= 0 ? userInfo[(scheme + 3)..] : userInfo;
                int colon = userInfo.IndexOf(':', StringComparison.Ordinal);
                secret = colon >= 0 ? userInfo[(colon + 1)..] : userInfo;
            }

            if (secret is { Length: >= MinHiddenLength })
            {
                yield return secret;
                string decoded = Uri.UnescapeDataString(secret);
                if (decoded != secret && decoded.Length >= MinHiddenLength)
                {
                    yield return decoded;
                }
            }
        }
    }

    [GeneratedRegex(@"(?<name>\bpassword\s*=\s*)(?!\.\.\.)[^,\s)'""]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex PasswordOption();

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)[^/@\s]+@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlUserInfo();
}
