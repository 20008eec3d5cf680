using System.Collections.Frozen;
using System.Text;
using System.Text.RegularExpressions;
using ApiKeys.Keys;

namespace ApiKeys.Security;

/// <summary>
/// Masks secrets in text: every key-shaped token (<c>AIza...</c>, <c>AQ.</c>..., <c>sk-...</c>, <c>sk-ant-...</c>) and every
/// key of the pool whatever its shape, also cut short (a prefix or a suffix of 12 characters or more), split across lines,
/// escaped (<c>\u0041</c>, <c>%41</c>, any mix and case) and in base64. One redactor serves log lines, exceptions,
/// stored errors, command output and HTTP bodies passed on.
/// </summary>
/// <remarks>
/// The pool's keys are found by their first and last 12 characters (anchors): only runs of at least 12 characters that keys
/// are made of can hold one, and the scan skips ahead by up to 12 characters at a time to find them; each 12-character
/// window of such a run is looked up in one table, so the cost does not grow with the number of keys. A match is then
/// extended along the key. Text with a <c>%</c> or a backslash is also searched decoded, so escaped forms cost nothing when
/// there are none. Key shapes are found by one source-generated regex. Text holding no secret is returned as is, without a copy.
/// </remarks>
public sealed partial class SecretRedactor
{
    /// <summary>The shortest known secret masked wherever it appears (shorter ones would mask ordinary words).</summary>
    public const int MinKnownLength = 6;

    /// <summary>The shortest part of a pool key masked on its own: a key cut short, or each half of a key split in two.</summary>
    public const int MinFragmentLength = 12;

    private readonly Alphabet? _alphabet;
    private readonly FrozenDictionary<string, AnchorGroup>.AlternateLookup<ReadOnlySpan<char>> _byAnchor;
    private readonly int[] _anchorLengths;
    private readonly int _shortestAnchor;
    private readonly int _knownForms;
    private readonly bool _escapeCharsInKeys;

    /// <summary>Creates a redactor that also masks <paramref name="knownSecrets"/> wherever they appear.</summary>
    public SecretRedactor(IEnumerable<string>? knownSecrets = null)
    {
        var byAnchor = new Dictionary<string, List<Candidate>>(StringComparer.Ordinal);
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in knownSecrets ?? [])
        {
            if (string.IsNullOrEmpty(secret) || secret.Length < MinKnownLength || !forms.Add(secret))
            {
                continue;
            }

            string mask = KeyMask.Mask(secret);
            int anchor = Math.Min(MinFragmentLength, secret.Length);
            Add(byAnchor, secret[..anchor], new Candidate(secret, mask, Match.Prefix));
            Add(byAnchor, secret[^anchor..], new Candidate(secret, mask, Match.Suffix));
            if (secret.Length >= MinFragmentLength)
            {
                foreach (var encoded in Base64Forms(secret))
                {
                    if (forms.Add(encoded))
                    {
                        Add(byAnchor, encoded[..MinFragmentLength], new Candidate(encoded, mask, Match.Exact));
                    }
                }
            }
        }

        _knownForms = forms.Count;
        _escapeCharsInKeys = forms.Any(f => f.AsSpan().IndexOfAny('%', '\\') >= 0);
        _byAnchor = byAnchor.ToFrozenDictionary(p => p.Key, p => new AnchorGroup(p.Value), StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _anchorLengths = [.. byAnchor.Keys.Select(a => a.Length).Distinct().OrderDescending()];
        _alphabet = byAnchor.Count == 0 ? null : new Alphabet(byAnchor.Keys);
        _shortestAnchor = byAnchor.Count == 0 ? int.MaxValue : _anchorLengths[^1];
    }

    /// <summary>A redactor for key-shaped tokens only.</summary>
    public static SecretRedactor Default { get; } = new();

    /// <summary>The number of known secrets' forms searched as such (each key, and its base64 forms).</summary>
    internal int KnownForms => _knownForms;

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
        return !ReferenceEquals(Redact(text), text);
    }

    private string RedactKnown(string text)
    {
        if (_alphabet is null || text.Length < _shortestAnchor)
        {
            return text;
        }

        // The text decoded holds every unescaped form as it is too; only a key that itself holds a '%' or a backslash
        // must be looked for in the text as it is as well.
        if (text.AsSpan().IndexOfAny('%', '\\') >= 0)
        {
            text = RedactDecoded(text);
            if (!_escapeCharsInKeys)
            {
                return text;
            }
        }

        List<Found>? found = null;
        Scan(text, ref found);
        return found is null ? text : Replace(text, found);
    }

    /// <summary>Finds every known secret in <paramref name="text"/>, in order, none overlapping.</summary>
    private void Scan(ReadOnlySpan<char> text, ref List<Found>? found)
    {
        var alphabet = _alphabet!;
        int shortest = _shortestAnchor, floor = 0;

        // An anchor lies within a run of at least `shortest` key characters, and such a run covers every position of
        // some residue modulo `shortest`: probing every `shortest`-th character finds each run, and a probe that hits
        // any other character skips `shortest` characters at once.
        for (int probe = shortest - 1; probe < text.Length;)
        {
            if (!alphabet.Contains(text[probe]))
            {
                probe += shortest;
                continue;
            }

            int start = probe, end = probe + 1;
            while (start > floor && alphabet.Contains(text[start - 1]))
            {
                start--;
            }

            while (end < text.Length && alphabet.Contains(text[end]))
            {
                end++;
            }

            for (int w = start; w + shortest <= end;)
            {
                if (Best(text, w, floor, end) is { } match)
                {
                    (found ??= []).Add(match);
                    floor = w = match.End;
                }
                else
                {
                    w++;
                }
            }

            // text[end] is no key character: the next run starts after it (or after a match that went past it).
            probe = Math.Max(end, floor) + shortest;
            if (floor > end)
            {
                probe = floor + shortest - 1;
            }
        }
    }

    /// <summary>The longest secret (a whole one first) whose anchor starts at <paramref name="at"/>, within a run ending at <paramref name="runEnd"/>; none before <paramref name="floor"/>.</summary>
    private Found? Best(ReadOnlySpan<char> text, int at, int floor, int runEnd)
    {
        Found? best = null;
        foreach (int length in _anchorLengths)
        {
            if (at + length > runEnd || !_byAnchor.TryGetValue(text.Slice(at, length), out var group))
            {
                continue;
            }

            // Keys starting alike: only the two whose start is nearest the text's can match it furthest.
            int next = group.NextPrefix(text[at..]);
            for (int i = Math.Max(0, next - 1); i < Math.Min(next + 1, group.Prefixes.Length); i++)
            {
                Consider(Extend(text, at, length, floor, group.Prefixes[i]), ref best);
            }

            foreach (var candidate in group.Others)
            {
                Consider(Extend(text, at, length, floor, candidate), ref best);
            }
        }

        return best;
    }

    private static void Consider(Found? match, ref Found? best)
    {
        if (match is { } m && (best is not { } b || (m.Whole, m.End - m.Start).CompareTo((b.Whole, b.End - b.Start)) > 0))
        {
            best = m;
        }
    }

    private static string Replace(string text, List<Found> found)
    {
        var sb = new StringBuilder(text.Length);
        int position = 0;
        foreach (var f in found)
        {
            sb.Append(text, position, f.Start - position).Append(f.Mask);
            position = f.End;
        }

        return sb.Append(text, position, text.Length - position).ToString();
    }

    private static void Add(Dictionary<string, List<Candidate>> byAnchor, string anchor, Candidate candidate)
    {
        if (!byAnchor.TryGetValue(anchor, out var list))
        {
            byAnchor[anchor] = list = [];
        }

        list.Add(candidate);
    }

    [GeneratedRegex(@"AIza[0-9A-Za-z_\-]{35}|AQ\.[0-9A-Za-z_.\-]{20,}|(?<![0-9A-Za-z])sk-ant-[0-9A-Za-z_\-]{10,}|(?<![0-9A-Za-z])sk-[0-9A-Za-z_\-]{16,}", RegexOptions.CultureInvariant)]
    private static partial Regex KeyShaped();
}
