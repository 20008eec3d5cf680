using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using ApiKeys.Keys;

namespace ApiKeys.Security;

/// <summary>
/// Masks secrets in text: every key-shaped token (<c>AIza...</c>, <c>AQ.</c>..., <c>sk-...</c>, <c>sk-ant-...</c>)
/// and every key of the pool whatever its shape. One redactor serves log lines, exceptions, stored errors and
/// HTTP bodies passed on.
/// </summary>
public sealed partial class SecretRedactor
{
    private readonly FrozenSet<string> _known;
    private readonly int _shortestKnown;

    /// <summary>Creates a redactor that also masks <paramref name="knownSecrets"/> wherever they appear.</summary>
    public SecretRedactor(IEnumerable<string>? knownSecrets = null)
    {
        _known = (knownSecrets ?? []).Where(s => !string.IsNullOrEmpty(s) && s.Length >= 6).ToFrozenSet(StringComparer.Ordinal);
        _shortestKnown = _known.Count == 0 ? int.MaxValue : _known.Min(s => s.Length);
    }

    /// <summary>A redactor for key-shaped tokens only.</summary>
    public static SecretRedactor Default { get; } = new();

    /// <summary>Returns <paramref name="text"/> with every secret replaced by its mask.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string result = text;
        if (_known.Count > 0 && text.Length >= _shortestKnown)
        {
            StringBuilder? sb = null;
            foreach (var secret in _known)
            {
                if ((sb is null ? result : sb.ToString()).Contains(secret, StringComparison.Ordinal))
                {
                    sb ??= new StringBuilder(result);
                    sb.Replace(secret, KeyMask.Mask(secret));
                }
            }

            if (sb is not null)
            {
                result = sb.ToString();
            }
        }

        return KeyShaped().Replace(result, static m => KeyMask.Mask(m.Value));
    }

    /// <summary>Whether <paramref name="text"/> holds anything this redactor would mask.</summary>
    public bool ContainsSecret(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (KeyShaped().IsMatch(text))
        {
            return true;
        }

        foreach (var secret in _known)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"AIza[0-9A-Za-z_\-]{35}|AQ\.[0-9A-Za-z_.\-]{20,}|sk-ant-[0-9A-Za-z_\-]{10,}|sk-[0-9A-Za-z_\-]{16,}", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShaped();
}
