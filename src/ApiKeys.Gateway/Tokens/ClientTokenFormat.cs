using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace ApiKeys.Gateway.Tokens;

/// <summary>
/// What a client token looks like: <c>akg_</c> and 43 base64url characters (256 random bits). The prefix makes tokens easy
/// to find for the log redactor, secret scanners and people.
/// </summary>
public static partial class ClientTokenFormat
{
    /// <summary>Every token starts with this.</summary>
    public const string Prefix = "akg_";

    /// <summary>Random bytes in a token.</summary>
    public const int RandomBytes = 32;

    /// <summary>The length of a token.</summary>
    public const int Length = 47;

    /// <summary>A new random token.</summary>
    public static string Generate()
    {
        Span<byte> random = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(random);
        try
        {
            return Prefix + Base64Url.EncodeToString(random);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(random);
        }
    }

    /// <summary>Whether <paramref name="value"/> has the shape of a token.</summary>
    public static bool IsToken(string? value) => value is { Length: Length } && value.StartsWith(Prefix, StringComparison.Ordinal) && Shaped().IsMatch(value);

    /// <summary>How a token is shown: <c>akg_...</c> and its last 4 characters.</summary>
    public static string Mask(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Length < 12 ? Prefix + "..." : string.Concat(Prefix, "...", token.AsSpan(token.Length - 4));
    }

    /// <summary>Masks every token-shaped string (also a cut one of 8 characters or more) in <paramref name="text"/>.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains(Prefix, StringComparison.Ordinal) ? Anywhere().Replace(text, static m => Mask(m.Value)) : text;
    }

    [GeneratedRegex("^akg_[A-Za-z0-9_-]{43}$", RegexOptions.CultureInvariant)]
    private static partial Regex Shaped();

    [GeneratedRegex("akg_[A-Za-z0-9_%-]{8,}", RegexOptions.CultureInvariant)]
    private static partial Regex Anywhere();
}
