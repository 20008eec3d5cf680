using ApiKeys.Gateway.Tokens;
using ApiKeys.Security;

namespace ApiKeys.Gateway.Logging;

/// <summary>
/// Masks secrets in every log line the gateway writes, whoever logged it (ASP.NET Core, the pool, the gateway): the pool's
/// keys in any form the pool's <see cref="SecretRedactor"/> knows, every key-shaped string, and every client token.
/// </summary>
public sealed class LogRedactor
{
    private Func<SecretRedactor> _pool = static () => SecretRedactor.Default;

    /// <summary>Masks the keys of <paramref name="pool"/> from now on (the pool's redactor follows its keys).</summary>
    public void Attach(IKeyPool pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pool = () => pool.Redactor;
    }

    /// <summary>The text with every key and token masked.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ClientTokenFormat.Redact(_pool().Redact(text));
    }
}
