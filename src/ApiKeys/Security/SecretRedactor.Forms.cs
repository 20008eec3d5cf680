using System.Buffers;
using System.Globalization;
using System.Text;

namespace ApiKeys.Security;

// How a known secret is recognised beyond its plain form: cut short, split across lines, escaped, base64.
public sealed partial class SecretRedactor
{
    /// <summary>Extends a candidate from its anchor at <paramref name="at"/>; null when it does not match there.</summary>
    private static Found? Extend(ReadOnlySpan<char> text, int at, int anchorLength, int floor, Candidate candidate) => candidate.Kind switch
    {
        Match.Exact => text[at..].StartsWith(candidate.Form, StringComparison.Ordinal) ? new Found(at, at + candidate.Form.Length, candidate.Mask, Whole: true) : null,
        Match.Prefix => ExtendForward(text, at, anchorLength, candidate),
        _ => ExtendBackward(text, at, anchorLength, floor, candidate),
    };

    /// <summary>A key's start anchored at <paramref name="at"/>: read on as far as the key goes (over line breaks).</summary>
    private static Found? ExtendForward(ReadOnlySpan<char> text, int at, int anchorLength, Candidate candidate)
    {
        string form = candidate.Form;
        int k = anchorLength, t = at + anchorLength, end = t;
        while (k < form.Length && t < text.Length)
        {
            if (text[t] == form[k])
            {
                end = ++t;
                k++;
            }
            else if (LineBreakAt(text, t, forward: true) is > 0 and var skip && t + skip < text.Length && text[t + skip] == form[k])
            {
                t += skip;
            }
            else
            {
                break;
            }
        }

        // A key cut short ends the token: one that goes on is another string sharing its start.
        bool whole = k == form.Length;
        return whole || end == text.Length || !char.IsAsciiLetterOrDigit(text[end]) ? new Found(at, end, candidate.Mask, whole) : null;
    }

    /// <summary>A key's end anchored at <paramref name="at"/>: read back as far as the key goes (over line breaks), not before <paramref name="floor"/>.</summary>
    private static Found? ExtendBackward(ReadOnlySpan<char> text, int at, int anchorLength, int floor, Candidate candidate)
    {
        string form = candidate.Form;
        int k = form.Length - anchorLength - 1, t = at - 1, start = at;
        if (at < floor)
        {
            return null;
        }

        while (k >= 0 && t >= floor)
        {
            if (text[t] == form[k])
            {
                start = t--;
                k--;
            }
            else if (LineBreakAt(text, t, forward: false) is > 0 and var skip && t - skip >= floor && text[t - skip] == form[k])
            {
                t -= skip;
            }
            else
            {
                break;
            }
        }

        bool whole = k < 0;
        return whole || start == 0 || !char.IsAsciiLetterOrDigit(text[start - 1]) ? new Found(start, at + anchorLength, candidate.Mask, whole) : null;
    }

    /// <summary>
    /// The length of the run of spaces, tabs and line breaks at <paramref name="t"/> (read backward when not
    /// <paramref name="forward"/>) when it holds a line break: a key wrapped over two lines; 0 otherwise.
    /// </summary>
    private static int LineBreakAt(ReadOnlySpan<char> text, int t, bool forward)
    {
        int n = 0;
        bool lineBreak = false;
        for (int i = t; i >= 0 && i < text.Length && text[i] is ' ' or '\t' or '\r' or '\n'; i += forward ? 1 : -1)
        {
            lineBreak |= text[i] is '\r' or '\n';
            n++;
        }

        return lineBreak ? n : 0;
    }

    /// <summary>Searches <paramref name="text"/> with its escapes decoded (JSON's <c>\u0041</c> and <c>\n</c>, URLs' <c>%41</c>), masking what the escaped forms hid.</summary>
    private string RedactDecoded(string text)
    {
        char[] decoded = ArrayPool<char>.Shared.Rent(text.Length);
        int[] map = ArrayPool<int>.Shared.Rent((2 * text.Length) + 4);
        try
        {
            var (length, points) = Decode(text, decoded, map);
            if (points == 1)
            {
                return text;
            }

            List<Found>? found = null;
            Scan(decoded.AsSpan(0, length), ref found);
            if (found is null)
            {
                return text;
            }

            for (int i = 0; i < found.Count; i++)
            {
                found[i] = found[i] with { Start = Original(map, points, found[i].Start), End = Original(map, points, found[i].End) };
            }

            return Replace(text, found);
        }
        finally
        {
            // The decoded copy may hold a secret.
            Array.Clear(decoded, 0, text.Length);
            ArrayPool<char>.Shared.Return(decoded);
            ArrayPool<int>.Shared.Return(map);
        }
    }

    /// <summary>
    /// Decodes escapes into <paramref name="decoded"/>, copying the runs between them whole. <paramref name="map"/> gets pairs
    /// (decoded index, text index) where the correspondence changes: between two of them it is one to one.
    /// </summary>
    /// <returns>The decoded length, and the number of pairs (1 when nothing was decoded).</returns>
    private static (int Length, int Points) Decode(string text, char[] decoded, int[] map)
    {
        int n = 0, i = 0, points = 1;
        map[0] = 0;
        map[1] = 0;
        while (true)
        {
            int next = text.AsSpan(i).IndexOfAny('\\', '%');
            int stop = next < 0 ? text.Length : i + next;
            text.AsSpan(i, stop - i).CopyTo(decoded.AsSpan(n));
            n += stop - i;
            i = stop;
            if (next < 0)
            {
                return (n, points);
            }

            if (Unescape(text, i) is ({ } c, var length))
            {
                map[2 * points] = n;
                map[(2 * points) + 1] = i;
                decoded[n++] = c;
                i += length;
                map[(2 * points) + 2] = n;
                map[(2 * points) + 3] = i;
                points += 2;
            }
            else
            {
                decoded[n++] = text[i++];
            }
        }
    }

    /// <summary>The escape at <paramref name="i"/>: the character it stands for and its length; a null character when there is none.</summary>
    private static (char? Char, int Length) Unescape(string text, int i)
    {
        if (text[i] == '%')
        {
            return i + 3 <= text.Length && Hex(text.AsSpan(i + 1, 2)) is < 0x80 and var ascii ? ((char)ascii, 3) : (null, 0);
        }

        if (i + 1 >= text.Length)
        {
            return (null, 0);
        }

        if (text[i + 1] == 'u')
        {
            return i + 6 <= text.Length && Hex(text.AsSpan(i + 2, 4)) is { } unit ? ((char)unit, 6) : (null, 0);
        }

        char? simple = text[i + 1] switch { '"' => '"', '\\' => '\\', '/' => '/', 'b' => '\b', 'f' => '\f', 'n' => '\n', 'r' => '\r', 't' => '\t', _ => null };
        return (simple, 2);
    }

    /// <summary>The text index of decoded index <paramref name="d"/>: from the last pair at or before it.</summary>
    private static int Original(int[] map, int points, int d)
    {
        int low = 0, high = points - 1;
        while (low < high)
        {
            int mid = (low + high + 1) >>> 1;
            if (map[2 * mid] <= d)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return map[(2 * low) + 1] + (d - map[2 * low]);
    }

    private static int? Hex(ReadOnlySpan<char> digits) =>
        int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int value) ? value : null;

    /// <summary>
    /// The base64 forms of <paramref name="secret"/> (standard and URL-safe) wherever it sits in the encoded bytes: at each of
    /// the three alignments, the characters that depend on the secret's bytes alone.
    /// </summary>
    private static IEnumerable<string> Base64Forms(string secret)
    {
        byte[] key = Encoding.UTF8.GetBytes(secret);
        for (int offset = 0; offset < 3; offset++)
        {
            var bytes = new byte[offset + key.Length + 2];
            key.CopyTo(bytes, offset);
            string encoded = Convert.ToBase64String(bytes);

            // Character i holds bits 6i..6i+5: only those inside the secret's bits 8*offset..8*(offset+length)-1.
            int first = ((8 * offset) + 5) / 6, end = 8 * (offset + key.Length) / 6;
            string core = encoded[first..end];
            if (core.Length >= MinFragmentLength)
            {
                yield return core;
                string urlSafe = core.Replace('+', '-').Replace('/', '_');
                if (!string.Equals(urlSafe, core, StringComparison.Ordinal))
                {
                    yield return urlSafe;
                }
            }
        }
    }
}
