using System.Security.Cryptography;

namespace ApiKeys.Gateway.Tokens;

/// <summary>
/// Finds the token a client presented among stored HMACs. Every entry is compared, in constant time, whatever matched:
/// how long a lookup takes says nothing about any stored token.
/// </summary>
internal sealed class TokenMatcher
{
    private readonly TokenHasher? _hasher;
    private readonly ClientToken[] _tokens;

    // The stored HMACs as bytes, decoded once (null: not a valid HMAC, never matches).
    private readonly byte[]?[] _hashes;

    public TokenMatcher(TokenHasher? hasher, IEnumerable<ClientToken> tokens)
    {
        _hasher = hasher;
        _tokens = [.. tokens];
        _hashes = [.. _tokens.Select(t => TokenHasher.FromHex(t.Hash))];
    }

    public static TokenMatcher Empty { get; } = new(null, []);

    public IReadOnlyList<ClientToken> Tokens => _tokens;

    public ClientToken? Find(string presented)
    {
        if (_hasher is null || _tokens.Length == 0 || !ClientTokenFormat.IsToken(presented))
        {
            return null;
        }

        Span<byte> hash = stackalloc byte[TokenHasher.HashBytes];
        _hasher.Hash(presented, hash);
        ClientToken? found = null;
        for (int i = 0; i < _tokens.Length; i++)
        {
            if (_hashes[i] is { } stored && CryptographicOperations.FixedTimeEquals(hash, stored))
            {
                found = _tokens[i];
            }
        }

        return found;
    }
}
