namespace ApiKeys.Keys;

/// <summary>Recognises the key formats of the providers the pool knows.</summary>
public static class KeyFormat
{
    /// <summary>The length of a Google API key (<c>AIza</c> + 35 characters).</summary>
    public const int GoogleApiKeyLength = 39;

    /// <summary>The longest key accepted, of any provider.</summary>
    public const int MaxKeyLength = 4096;

    /// <summary>Detects the provider of <paramref name="secret"/>.</summary>
    /// <returns>The provider, or <see cref="KeyProvider.Generic"/> when no known format matches.</returns>
    public static KeyProvider Detect(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Check(secret) switch
        {
            KeyFormatCheck.Gemini => KeyProvider.Gemini,
            KeyFormatCheck.OpenAI => KeyProvider.OpenAI,
            KeyFormatCheck.Anthropic => KeyProvider.Anthropic,
            _ => KeyProvider.Generic,
        };
    }

    /// <summary>Checks <paramref name="secret"/> in detail.</summary>
    public static KeyFormatCheck Check(string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return KeyFormatCheck.Empty;
        }

        if (secret.Length > MaxKeyLength)
        {
            return KeyFormatCheck.Malformed;
        }

        foreach (char c in secret)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c > '~')
            {
                return KeyFormatCheck.Malformed;
            }
        }

        if (secret.StartsWith("AIza", StringComparison.Ordinal))
        {
            return secret.Length == GoogleApiKeyLength && AllOf(secret.AsSpan(4), dot: false)
                ? KeyFormatCheck.Gemini
                : KeyFormatCheck.MalformedGemini;
        }

        if (secret.StartsWith("AQ.", StringComparison.Ordinal))
        {
            return secret.Length >= 33 && AllOf(secret.AsSpan(3), dot: true)
                ? KeyFormatCheck.Gemini
                : KeyFormatCheck.MalformedGemini;
        }

        if (secret.StartsWith("sk-ant-", StringComparison.Ordinal))
        {
            return secret.Length >= 27 && AllOf(secret.AsSpan(7), dot: false)
                ? KeyFormatCheck.Anthropic
                : KeyFormatCheck.Malformed;
        }

        if (secret.StartsWith("sk-", StringComparison.Ordinal))
        {
            return secret.Length >= 23 && AllOf(secret.AsSpan(3), dot: false)
                ? KeyFormatCheck.OpenAI
                : KeyFormatCheck.Malformed;
        }

        return secret.Length >= 8 ? KeyFormatCheck.Unknown : KeyFormatCheck.Malformed;
    }

    private static bool AllOf(ReadOnlySpan<char> s, bool dot)
    {
        foreach (char c in s)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' || (dot && c == '.')))
            {
                return false;
            }
        }

        return true;
    }
}
