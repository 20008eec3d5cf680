using System.Buffers;
using System.Numerics;

namespace ApiKeys.Http.Usage;

/// <summary>The scanner past a nested value that cannot hold counts: by blocks of 64 bytes, byte by byte around an escaped quote.</summary>
public sealed partial class UsageScanner
{
    /// <summary>
    /// How many bytes a search looks at one by one before it calls a vectorized search: in an answer most strings, and
    /// the gaps between brackets, are shorter than that, and on them a call costs more than the loop.
    /// </summary>
    private const int ByHand = 16;

    /// <summary>What matters in a nested value read byte by byte: strings (to see past them) and brackets.</summary>
    private static readonly SearchValues<byte> Nesting = SearchValues.Create("\"{}[]"u8);

    /// <summary>What <see cref="SkipBlock"/> returns when the nested value goes on past the block.</summary>
    private const int StillNested = -1;

    /// <summary>What <see cref="SkipBlock"/> returns when its masks cannot say where the strings are (a quote may be escaped).</summary>
    private const int ByteByByte = -2;

    /// <summary>
    /// Deeper than <see cref="ReadDepth"/> (all of <c>candidates</c>, say): no number, comma or colon there can change the
    /// counts, so only the brackets outside strings are followed, a block of 64 bytes at a time, until the value closes.
    /// Its closing leaves the state a closed value leaves (no key expected, no name pending), which is all the skipped
    /// bytes could have changed. Returns where it stopped: after the closing bracket, or the chunk's end.
    /// </summary>
    private int SkipNested(ReadOnlySpan<byte> bytes, int i)
    {
        int readDepth = ReadDepth;
        Span<byte> padded = stackalloc byte[JsonBlock.Size];
        while (i < bytes.Length)
        {
            if (_inString)
            {
                // A string going on past a block: to its end in one search (a long text is most of an answer).
                i = InString(bytes, i);
                continue;
            }

            var block = bytes.Slice(i, Math.Min(JsonBlock.Size, bytes.Length - i));
            int closed = SkipBlock(block, padded, readDepth);
            if (closed == ByteByByte)
            {
                closed = SkipByHand(block, readDepth);
            }

            if (closed != StillNested)
            {
                return i + closed;
            }

            i += block.Length;
        }

        return i;
    }

    /// <summary>
    /// A block of up to 64 bytes that starts outside a string, read from its masks: returns where the value closed in it,
    /// or what to do next.
    /// </summary>
    private int SkipBlock(ReadOnlySpan<byte> block, Span<byte> padded, int readDepth)
    {
        if (!JsonBlock.IsSupported)
        {
            return ByteByByte;
        }

        int length = block.Length;
        if (length < JsonBlock.Size)
        {
            // The chunk's last bytes, and spaces: they change nothing.
            block.CopyTo(padded);
            padded[block.Length..].Fill((byte)' ');
            block = padded;
        }

        var masks = new JsonBlock(block);
        ulong last = 1UL << (length - 1);

        // A quote right after a backslash may be escaped, and a backslash last may escape the next block's first byte:
        // rare in answers (a \" in a text), so read byte by byte. Any other escape cannot move a string's end.
        if (((masks.Backslashes << 1) & masks.Quotes) != 0 || (masks.Backslashes & last) != 0)
        {
            return ByteByByte;
        }

        ulong inStrings = masks.InStrings();
        ulong brackets = (masks.Opens | masks.Closes) & ~inStrings;
        while (brackets != 0)
        {
            int at = BitOperations.TrailingZeroCount(brackets);
            brackets &= brackets - 1;
            if ((masks.Opens & (1UL << at)) != 0)
            {
                _depth++;
            }
            else if (--_depth == readDepth)
            {
                _name = Name.Other;
                _expectKey = false;
                return at + 1;
            }
        }

        _inString = (inStrings & last) != 0;
        return StillNested;
    }

    /// <summary>The same as <see cref="SkipBlock"/>, from quote or bracket to the next, following every escape.</summary>
    private int SkipByHand(ReadOnlySpan<byte> block, int readDepth)
    {
        int i = 0;
        while (!_inString)
        {
            int next = IndexOfNesting(block[i..]);
            if (next < 0)
            {
                break;
            }

            i += next + 1;
            switch (block[i - 1])
            {
                case (byte)'"':
                    _inString = true;
                    i = InString(block, i);
                    break;
                case (byte)'{' or (byte)'[':
                    _depth++;
                    break;
                default:
                    if (--_depth == readDepth)
                    {
                        _name = Name.Other;
                        _expectKey = false;
                        return i;
                    }

                    break;
            }
        }

        return StillNested;
    }

    /// <summary>The first quote or bracket (<c>" { } [ ]</c>), or -1.</summary>
    private static int IndexOfNesting(ReadOnlySpan<byte> span)
    {
        int n = Math.Min(span.Length, ByHand);
        for (int i = 0; i < n; i++)
        {
            // '[' and '{' differ by one bit (0x20), as do ']' and '}'.
            byte b = span[i];
            if (b == '"' || (b | 0x20) is (byte)'{' or (byte)'}')
            {
                return i;
            }
        }

        int found = span.Length > ByHand ? span[ByHand..].IndexOfAny(Nesting) : -1;
        return found < 0 ? -1 : found + ByHand;
    }
}
