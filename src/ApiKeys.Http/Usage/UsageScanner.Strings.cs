using System.Numerics;
using System.Runtime.Intrinsics;

namespace ApiKeys.Http.Usage;

/// <summary>The scanner in a string: a key named from the chunk when it can be, else kept across chunks; escapes.</summary>
public sealed partial class UsageScanner
{
    /// <summary>
    /// A key at the depth read, from after its opening quote: named from the chunk itself when its closing quote is in it
    /// (one search, no copy). A backslash or the chunk's end leaves it to <see cref="InString"/>, which keeps its bytes.
    /// </summary>
    private int Key(ReadOnlySpan<byte> bytes, int start)
    {
        var rest = bytes[start..];
        int end = IndexOfQuoteOrBackslash(rest);
        if (end >= 0 && rest[end] == '"')
        {
            _name = end <= MaxKey ? Match(rest[..end]) : Name.Other;
            return start + end + 1;
        }

        _inString = true;
        _captureKey = true;
        _keyLength = 0;
        return InString(bytes, start);
    }

    /// <summary>A string that is not a key, from after its opening quote.</summary>
    private int ValueString(ReadOnlySpan<byte> bytes, int start)
    {
        _inString = true;
        return InString(bytes, start);
    }

    /// <summary>Inside a string: to its closing quote, past escapes. Returns where it stopped (the chunk's end if still inside).</summary>
    private int InString(ReadOnlySpan<byte> bytes, int i) => _captureKey ? InKey(bytes, i) : SkipString(bytes, i);

    /// <summary>
    /// Inside a string that is not a key: to the first quote no backslash escapes, one search a quote (the many <c>\n</c>
    /// of a long text cost nothing). A quote is escaped when an odd number of backslashes runs up to it.
    /// </summary>
    private int SkipString(ReadOnlySpan<byte> bytes, int i)
    {
        int from = i;
        while (true)
        {
            int quote = bytes[i..].IndexOf((byte)'"');
            if (quote < 0)
            {
                _escape = IsEscaped(bytes, from, bytes.Length);
                return bytes.Length;
            }

            quote += i;
            if (!IsEscaped(bytes, from, quote))
            {
                _escape = false;
                EndString();
                return quote + 1;
            }

            i = quote + 1;
        }
    }

    /// <summary>
    /// Whether the byte at <paramref name="at"/> (or the next chunk's first, at the end) is escaped: by an odd run of
    /// backslashes up to it, the run counting the backslash the previous chunk ended with when it goes back to
    /// <paramref name="from"/>, the chunk's first byte in the string.
    /// </summary>
    private bool IsEscaped(ReadOnlySpan<byte> bytes, int from, int at)
    {
        int start = at;
        while (start > from && bytes[start - 1] == '\\')
        {
            start--;
        }

        int run = at - start + (start == from && _escape ? 1 : 0);
        return (run & 1) != 0;
    }

    /// <summary>Inside a key: its bytes kept (up to <see cref="MaxKey"/>) for when it ends; an escape makes it no name.</summary>
    private int InKey(ReadOnlySpan<byte> bytes, int i)
    {
        if (_escape && i < bytes.Length)
        {
            _escape = false;
            _keyLength = MaxKey + 1; // a key with an escape names nothing
            i++;
        }

        while (i < bytes.Length)
        {
            var rest = bytes[i..];
            int end = IndexOfQuoteOrBackslash(rest);
            KeepKey(end < 0 ? rest : rest[..end]);

            if (end < 0)
            {
                return bytes.Length;
            }

            i += end + 1;
            if (rest[end] == '"')
            {
                EndString();
                return i;
            }

            if (i == bytes.Length)
            {
                _escape = true; // the escaped byte is in the next chunk
                return i;
            }

            _keyLength = MaxKey + 1;
            i++;
        }

        return i;
    }

    private void KeepKey(ReadOnlySpan<byte> part)
    {
        if (part.Length > MaxKey - _keyLength)
        {
            _keyLength = MaxKey + 1;
            return;
        }

        part.CopyTo(((Span<byte>)_key)[_keyLength..]);
        _keyLength += part.Length;
    }

    private void EndString()
    {
        _inString = false;
        if (_captureKey)
        {
            _captureKey = false;
            _name = _keyLength <= MaxKey ? Match(((ReadOnlySpan<byte>)_key)[.._keyLength]) : Name.Other;
        }
        else if (!_expectKey)
        {
            _name = Name.Other;
        }
    }

    /// <summary>
    /// The first quote or backslash, or -1. Keys and most values are short: one or two vector compares of 16 bytes find
    /// their end, where a call to a vectorized search costs more than the string (and a loop, a branch a byte).
    /// </summary>
    private static int IndexOfQuoteOrBackslash(ReadOnlySpan<byte> span)
    {
        int i = 0;
        if (JsonBlock.IsSupported)
        {
            for (; i <= span.Length - Vector128<byte>.Count && i < 2 * Vector128<byte>.Count; i += Vector128<byte>.Count)
            {
                uint found = JsonBlock.QuotesOrBackslashes(span.Slice(i, Vector128<byte>.Count));
                if (found != 0)
                {
                    return i + BitOperations.TrailingZeroCount(found);
                }
            }
        }

        if (span.Length - i > ByHand)
        {
            int found = span[i..].IndexOfAny((byte)'"', (byte)'\\');
            return found < 0 ? -1 : i + found;
        }

        for (; i < span.Length; i++)
        {
            if (span[i] is (byte)'"' or (byte)'\\')
            {
                return i;
            }
        }

        return -1;
    }
}
