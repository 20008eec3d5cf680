using System.Security.Cryptography;
using System.Text;

namespace ApiKeys.Gateway.Tokens;

/// <summary>
/// HMAC-SHA256 of client tokens under the store's secret: the store keeps only these, and a presented token is checked by
/// comparing HMACs in constant time. Not a password hash: tokens are 256 random bits, nothing to guess.
/// </summary>
public sealed class TokenHasher : IDisposable
{
    /// <summary>The secret's length in bytes.</summary>
    public const int SecretBytes = 32;

    private readonly byte[] _secret;

    /// <summary>Creates the hasher with <paramref name="secret"/> (copied).</summary>
    public TokenHasher(ReadOnlySpan<byte> secret)
    {
        if (secret.Length < 16)
        {
            throw new ArgumentException("The token secret must be at least 16 bytes.", nameof(secret));
        }

        _secret = secret.ToArray();
    }

    /// <summary>A new random secret.</summary>
    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    /// <summary>The HMAC of <paramref name="token"/>.</summary>
    public byte[] Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return HMACSHA256.HashData(_secret, Encoding.UTF8.GetBytes(token));
    }

    /// <summary>The HMAC of <paramref name="token"/> in lowercase hex (as stored).</summary>
    public string HashHex(string token) => Convert.ToHexStringLower(Hash(token));

    /// <summary>Whether <paramref name="token"/> hashes to <paramref name="storedHex"/>, compared in constant time.</summary>
    public bool Matches(string token, string storedHex) => Matches(Hash(token), storedHex);

    /// <summary>Whether <paramref name="hash"/> equals <paramref name="storedHex"/>, compared in constant time.</summary>
    public static bool Matches(ReadOnlySpan<byte> hash, string storedHex)
    {
        ArgumentNullException.ThrowIfNull(storedHex);
        if (storedHex.Length != hash.Length * 2)
        {
            return false;
        }

        Span<byte> stored = stackalloc byte[hash.Length];
        return Convert.FromHexString(storedHex, stored, out _, out int written) == System.Buffers.OperationStatus.Done
            && written == hash.Length
            && CryptographicOperations.FixedTimeEquals(hash, stored);
    }

    /// <summary>Clears the secret.</summary>
    public void Dispose() => CryptographicOperations.ZeroMemory(_secret);
}
