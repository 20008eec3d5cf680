using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace ApiKeys.Gateway.Tokens;

/// <summary>
/// Finds the token a client presented among stored HMACs. Every entry is compared, in constant time, whatever matched:
/// how long a lookup takes says nothing about any stored token.
/// </summary>
/// <remarks>
/// A token found once is remembered (by the text presented, up to <see cref="MaxRemembered"/>) for as long as this matcher
/// serves, that is until the tokens file changes: its next requests skip the HMAC. Only tokens that matched are remembered,
/// so a guess always takes the full path; the dictionary's hashing is randomized per process, so how long a lookup of a
/// guess takes says nothing about the remembered tokens either.
/// </remarks>
internal sealed class TokenMatcher
{
    /// <summary>How many matched tokens are remembered at most.</summary>
    public const int MaxRemembered = 4096;

    private readonly ConcurrentDictionary<string, ClientToken> _found = new(StringComparer.Ordinal);
    private int _remembered;
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

    /// <summary>How many presented tokens are remembered.</summary>
    public int Remembered => _found.Count;

    public ClientToken? Find(string presented)
    {
        // A remembered token was well-formed when it matched: its shape is not checked again.
        if (_found.TryGetValue(presented, out var remembered))
        {
            return remembered;
        }

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

        if (found is not null && Interlocked.Increment(ref _remembered) <= MaxRemembered)
        {
            _found.TryAdd(presented, found);
        }

        return found;
    }
}
