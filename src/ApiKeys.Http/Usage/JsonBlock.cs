using System.Runtime.Intrinsics;

namespace ApiKeys.Http.Usage;

/// <summary>
/// Where the bytes that shape JSON are in a block of 64, as bit masks (bit <c>i</c> for byte <c>i</c>), found 16 bytes at
/// a time with vector compares: a value is crossed by walking its brackets only, its strings cost nothing (the quotes'
/// running parity says which bytes are in one), instead of one branch per byte or one search call per string.
/// </summary>
internal readonly struct JsonBlock
{
    public const int Size = 64;

    /// <summary>Whether the vector compares run in hardware (SSE2, NEON, ...): without them, a byte-by-byte loop is faster.</summary>
    public static bool IsSupported => Vector128.IsHardwareAccelerated;

    /// <summary>Reads the first <see cref="Size"/> bytes of <paramref name="block"/>.</summary>
    public JsonBlock(ReadOnlySpan<byte> block)
    {
        var quote = Vector128.Create((byte)'"');
        var backslash = Vector128.Create((byte)'\\');
        var openBrace = Vector128.Create((byte)'{');
        var closeBrace = Vector128.Create((byte)'}');
        var lowercase = Vector128.Create((byte)0x20);
        ulong quotes = 0, backslashes = 0, opens = 0, closes = 0;
        for (int i = 0; i < Size; i += Vector128<byte>.Count)
        {
            var bytes = Vector128.Create(block.Slice(i, Vector128<byte>.Count));

            // '[' and '{' differ by one bit (0x20), as do ']' and '}': with it set, one compare finds both.
            var folded = bytes | lowercase;
            quotes |= (ulong)Vector128.Equals(bytes, quote).ExtractMostSignificantBits() << i;
            backslashes |= (ulong)Vector128.Equals(bytes, backslash).ExtractMostSignificantBits() << i;
            opens |= (ulong)Vector128.Equals(folded, openBrace).ExtractMostSignificantBits() << i;
            closes |= (ulong)Vector128.Equals(folded, closeBrace).ExtractMostSignificantBits() << i;
        }

        (Quotes, Backslashes, Opens, Closes) = (quotes, backslashes, opens, closes);
    }

    /// <summary>The quotes (<c>"</c>).</summary>
    public ulong Quotes { get; }

    /// <summary>The backslashes.</summary>
    public ulong Backslashes { get; }

    /// <summary>The opening brackets (<c>{</c>, <c>[</c>).</summary>
    public ulong Opens { get; }

    /// <summary>The closing brackets (<c>}</c>, <c>]</c>).</summary>
    public ulong Closes { get; }

    /// <summary>
    /// The bytes in a string, its opening quote included and its closing quote not, for a block that starts outside one
    /// and has no escaped quote: each quote flips in or out (the prefix XOR of the quotes).
    /// </summary>
    public ulong InStrings()
    {
        ulong x = Quotes;
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        return x;
    }

    /// <summary>The quotes and backslashes among the first 16 bytes of <paramref name="bytes"/>.</summary>
    public static uint QuotesOrBackslashes(ReadOnlySpan<byte> bytes)
    {
        var vector = Vector128.Create(bytes);
        return (Vector128.Equals(vector, Vector128.Create((byte)'"')) | Vector128.Equals(vector, Vector128.Create((byte)'\\'))).ExtractMostSignificantBits();
    }
}
