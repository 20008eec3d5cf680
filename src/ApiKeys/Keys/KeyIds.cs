using System.Security.Cryptography;
using System.Text;

namespace ApiKeys.Keys;

/// <summary>Names keys without holding them: <c>k_</c> + the first 12 hex digits of SHA-256(secret).</summary>
/// <remarks>The same on every machine, so processes and a Redis server can agree on a key's name.</remarks>
public static class KeyIds
{
    /// <summary>The prefix of every key id.</summary>
    public const string Prefix = "k_";

    /// <summary>Computes the id of <paramref name="secret"/>.</summary>
    public static string For(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        int max = Encoding.UTF8.GetMaxByteCount(secret.Length);
        byte[]? rented = null;
        Span<byte> bytes = max <= 512 ? stackalloc byte[max] : (rented = new byte[max]);
        try
        {
            int n = Encoding.UTF8.GetBytes(secret, bytes);
            Span<byte> hash = stackalloc byte[32];
            SHA256.HashData(bytes[..n], hash);
            return string.Create(14, hash[..6].ToArray(), static (span, h) =>
            {
                span[0] = 'k';
                span[1] = '_';
                Convert.TryToHexStringLower(h, span[2..], out _);
            });
        }
        finally
        {
            bytes.Clear();
        }
    }

    /// <summary>Whether <paramref name="value"/> has the shape of a key id.</summary>
    public static bool IsId(string? value)
    {
        if (value is null || value.Length != 14 || !value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (char c in value.AsSpan(2))
        {
            if (!char.IsAsciiHexDigitLower(c))
            {
                return false;
            }
        }

        return true;
    }
}
