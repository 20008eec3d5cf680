using System.Security.Cryptography;
using System.Text;

namespace ApiKeys.Gateway.Admin.Auth;

/// <summary>
/// The dashboard's sessions, in this gateway's memory: a browser holds a random 256-bit session id in an HttpOnly cookie,
/// the gateway only its SHA-256. A session ends after <see cref="AdminOptions.SessionIdleTimeout"/> without a request,
/// <see cref="AdminOptions.SessionMaxAge"/> after sign-in, at sign-out, when the password changes, and when the gateway
/// restarts. Thread-safe.
/// </summary>
internal sealed class AdminSessions
{
    /// <summary>Sessions kept at most (the oldest go first): a bound on memory whatever signs in.</summary>
    private const int MaxSessions = 1000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, AdminSession> _byHash = new(StringComparer.Ordinal);
    private readonly AdminOptions _options;
    private readonly TimeProvider _time;

    public AdminSessions(AdminOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>Starts a session; returns the cookie's value (the only copy of the session id).</summary>
    public (string CookieValue, AdminSession Session) Start(string passwordStamp)
    {
        string id = NewSecret();
        var session = new AdminSession(NewSecret(), passwordStamp, _time.GetUtcNow());
        lock (_gate)
        {
            Prune_NeedsLock(session.CreatedAt);
            if (_byHash.Count >= MaxSessions)
            {
                _byHash.Remove(_byHash.MinBy(s => s.Value.LastSeen).Key);
            }

            _byHash[Hash(id)] = session;
        }

        return (id, session);
    }

    /// <summary>The live session of <paramref name="cookieValue"/> signed in with the password <paramref name="passwordStamp"/>, its idle time reset; else null (and an ended one is forgotten).</summary>
    public AdminSession? Find(string? cookieValue, string passwordStamp)
    {
        if (string.IsNullOrEmpty(cookieValue) || cookieValue.Length > 100)
        {
            return null;
        }

        string hash = Hash(cookieValue);
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (!_byHash.TryGetValue(hash, out var session))
            {
                return null;
            }

            if (!IsLive(session, now) || !string.Equals(session.PasswordStamp, passwordStamp, StringComparison.Ordinal))
            {
                _byHash.Remove(hash);
                return null;
            }

            session.LastSeen = now;
            return session;
        }
    }

    /// <summary>Ends the session of <paramref name="cookieValue"/> (sign-out).</summary>
    public void End(string? cookieValue)
    {
        if (string.IsNullOrEmpty(cookieValue))
        {
            return;
        }

        lock (_gate)
        {
            _byHash.Remove(Hash(cookieValue));
        }
    }

    /// <summary>How many sessions are live (for tests and the log).</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                Prune_NeedsLock(_time.GetUtcNow());
                return _byHash.Count;
            }
        }
    }

    private bool IsLive(AdminSession session, DateTimeOffset now) =>
        now - session.LastSeen < _options.SessionIdleTimeout && now - session.CreatedAt < _options.SessionMaxAge;

    private void Prune_NeedsLock(DateTimeOffset now)
    {
        foreach (var (hash, session) in _byHash.ToList())
        {
            if (!IsLive(session, now))
            {
                _byHash.Remove(hash);
            }
        }
    }

    private static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Hash(string value) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
