using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using ApiKeys.Keys;

namespace ApiKeys.Security;

/// <summary>
/// Masks secrets in text: every key-shaped token (<c>AIza...</c>, <c>AQ.</c>..., <c>sk-...</c>, <c>sk-ant-...</c>)
/// and every key of the pool whatever its shape, also in its JSON-escaped and URL-encoded forms. One redactor serves
/// log lines, exceptions, stored errors and HTTP bodies passed on.
/// </summary>
/// <remarks>
/// The pool's keys are found in one pass whatever their number (<see cref="SearchValues{T}"/> of strings: a vectorised
/// multi-string search), then the key shapes by one source-generated regex. Text holding no secret is returned as is,
/// without a copy.
/// </remarks>
public sealed partial class SecretRedactor
{
    /// <summary>The shortest known secret masked wherever it appears (shorter ones would mask ordinary words).</summary>
    public const int MinKnownLength = 6;

    private readonly SearchValues<string>? _known;
    private readonly FrozenDictionary<string, string[]>.AlternateLookup<ReadOnlySpan<char>> _byPrefixLookup;
    private readonly FrozenDictionary<string, string> _masks;
    private readonly int _shortestKnown;

    /// <summary>Creates a redactor that also masks <paramref name="knownSecrets"/> wherever they appear.</summary>
    public SecretRedactor(IEnumerable<string>? knownSecrets = null)
    {
        var masks = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var secret in knownSecrets ?? [])
        {
            if (string.IsNullOrEmpty(secret) || secret.Length < MinKnownLength)
            {
                continue;
            }

            string mask = KeyMask.Mask(secret);
            masks.TryAdd(secret, mask);
            masks.TryAdd(JsonEncodedText.Encode(secret, JavaScriptEncoder.Default).Value, mask);
            masks.TryAdd(Uri.EscapeDataString(secret), mask);
        }

        _masks = masks.ToFrozenDictionary(StringComparer.Ordinal);
        _byPrefixLookup = masks.Keys
            .GroupBy(s => s[..MinKnownLength], StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(s => s.Length).ToArray(), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        _known = masks.Count == 0 ? null : SearchValues.Create([.. masks.Keys], StringComparison.Ordinal);
        _shortestKnown = masks.Count == 0 ? int.MaxValue : masks.Keys.Min(s => s.Length);
    }

    /// <summary>A redactor for key-shaped tokens only.</summary>
    public static SecretRedactor Default { get; } = new();

    /// <summary>The number of known secrets' forms (each key, its JSON-escaped and URL-encoded forms when they differ).</summary>
    internal int KnownForms => _masks.Count;

    /// <summary>Returns <paramref name="text"/> with every secret replaced by its mask.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string result = RedactKnown(text);
        return KeyShaped().IsMatch(result) ? KeyShaped().Replace(result, static m => KeyMask.Mask(m.Value)) : result;
    }

    /// <summary>Whether <paramref name="text"/> holds anything this redactor would mask.</summary>
    public bool ContainsSecret(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return (_known is not null && text.Length >= _shortestKnown && text.AsSpan().IndexOfAny(_known) >= 0) || KeyShaped().IsMatch(text);
    }

    private string RedactKnown(string text)
    {
        if (_known is null || text.Length < _shortestKnown)
        {
            return text;
        }

        int next = text.AsSpan().IndexOfAny(_known);
        if (next < 0)
        {
            return text;
        }

        var sb = new StringBuilder(text.Length);
        int position = 0;
        while (next >= 0)
        {
            int at = position + next;
            string found = LongestAt(text, at);
            sb.Append(text, position, at - position).Append(_masks[found]);
            position = at + found.Length;
            next = text.AsSpan(position).IndexOfAny(_known);
        }

        return sb.Append(text, position, text.Length - position).ToString();
    }

    /// <summary>The longest known form starting at <paramref name="at"/> (the search found at least one there).</summary>
    private string LongestAt(string text, int at)
    {
        var rest = text.AsSpan(at);
        foreach (var candidate in _byPrefixLookup[rest[..MinKnownLength]])
        {
            if (rest.StartsWith(candidate, StringComparison.Ordinal))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("The secret search and the prefix table disagree.");
    }

    [GeneratedRegex(@"AIza[0-9A-Za-z_\-]{35}|AQ\.[0-9A-Za-z_.\-]{20,}|(?<![0-9A-Za-z])sk-ant-[0-9A-Za-z_\-]{10,}|(?<![0-9A-Za-z])sk-[0-9A-Za-z_\-]{16,}", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShaped();
}
