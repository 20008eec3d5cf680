namespace ApiKeys.Gateway.Tokens;

/// <summary>
/// Finds the token a client presented among stored HMACs. Every entry is compared, in constant time, whatever matched:
/// how long a lookup takes says nothing about any stored token.
/// </summary>
internal sealed class TokenMatcher
{
    private readonly TokenHasher? _hasher;
    private readonly ClientToken[] _tokens;

    public TokenMatcher(TokenHasher? hasher, IEnumerable<ClientToken> tokens)
    {
        _hasher = hasher;
        _tokens = [.. tokens];
    }

    public static TokenMatcher Empty { get; } = new(null, []);

    public IReadOnlyList<ClientToken> Tokens => _tokens;

    public ClientToken? Find(string presented)
    {
        if (_hasher is null || _tokens.Length == 0 || !ClientTokenFormat.IsToken(presented))
        {
            return null;
        }

        byte[] hash = _hasher.Hash(presented);
        ClientToken? found = null;
        foreach (var token in _tokens)
        {
            if (TokenHasher.Matches(hash, token.Hash))
            {
                found = token;
            }
        }

        return found;
    }
}
