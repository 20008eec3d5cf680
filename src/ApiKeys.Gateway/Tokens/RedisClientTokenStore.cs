using StackExchange.Redis;

namespace ApiKeys.Gateway.Tokens;

/// <summary>
/// Client tokens in Redis, beside the pool they give access to: <c>{prefix}:{pool}:gw:tokens</c> (a hash of HMAC to the
/// token's JSON), <c>...:gw:token-names</c> (name to HMAC) and <c>...:gw:token-secret</c> (the HMAC secret, created once).
/// Every lookup reads Redis, so a revoke counts at once on every gateway. No token is ever stored, only its HMAC.
/// </summary>
public sealed class RedisClientTokenStore : IClientTokenStore, IDisposable
{
    private const string CreateScript = """
        if redis.call('HEXISTS', KEYS[2], ARGV[1]) == 1 then return 0 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
        redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
        return 1
        """;

    private const string RevokeScript = """
        local hash = redis.call('HGET', KEYS[2], ARGV[1])
        if not hash then return 0 end
        redis.call('HDEL', KEYS[2], ARGV[1])
        redis.call('HDEL', KEYS[1], hash)
        return 1
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _time;
    private readonly RedisKey _tokens;
    private readonly RedisKey _names;
    private readonly RedisKey _secret;
    private TokenHasher? _hasher;

    /// <summary>The tokens of the Redis pool <paramref name="pool"/> (names as <see cref="ApiKeys.Redis.RedisKeyPool"/> uses them).</summary>
    /// <param name="redis">The process's multiplexer; not disposed here.</param>
    /// <param name="pool">The pool's name.</param>
    /// <param name="keyPrefix">The first part of every Redis key name.</param>
    /// <param name="timeProvider">The clock.</param>
    public RedisClientTokenStore(IConnectionMultiplexer redis, string pool = "default", string keyPrefix = "apikeys", TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrWhiteSpace(pool);
        _redis = redis;
        _time = timeProvider ?? TimeProvider.System;
        Root = $"{keyPrefix}:{{{pool}}}:gw:";
        _tokens = Root + "tokens";
        _names = Root + "token-names";
        _secret = Root + "token-secret";
    }

    /// <summary>The start of every Redis key the gateway keeps for this pool (<c>apikeys:{pool}:gw:</c>).</summary>
    public string Root { get; }

    private IDatabase Db => _redis.GetDatabase();

    /// <inheritdoc />
    public async ValueTask<ClientToken?> FindAsync(string presented, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(presented);
        if (!ClientTokenFormat.IsToken(presented))
        {
            return null;
        }

        var hasher = await HasherAsync(create: false).ConfigureAwait(false);
        if (hasher is null)
        {
            return null;
        }

        byte[] hash = hasher.Hash(presented);
        var json = await Db.HashGetAsync(_tokens, Convert.ToHexStringLower(hash)).ConfigureAwait(false);
        if (json.IsNullOrEmpty)
        {
            return null;
        }

        var token = TokensFile.ReadOne(json.ToString());
        return TokenHasher.Matches(hash, token.Hash) ? token : null;
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<ClientToken>> ListAsync(CancellationToken cancellationToken = default)
    {
        var all = await Db.HashValuesAsync(_tokens).ConfigureAwait(false);
        return [.. all.Select(v => TokensFile.ReadOne(v.ToString())).OrderBy(t => t.Name, StringComparer.Ordinal)];
    }

    /// <inheritdoc />
    public async ValueTask<CreatedClientToken> CreateAsync(ClientTokenRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow();
        request.Validate(now);
        var hasher = (await HasherAsync(create: true).ConfigureAwait(false))!;
        string token = ClientTokenFormat.Generate();
        var details = request.ToToken(hasher.HashHex(token), now);
        var created = await Db.ScriptEvaluateAsync(CreateScript, [_tokens, _names], [details.Name, details.Hash, TokensFile.WriteOne(details)]).ConfigureAwait(false);
        if ((int)created == 0)
        {
            throw new ArgumentException($"a token named '{request.Name}' exists; revoke it first or choose another name.");
        }

        return new CreatedClientToken(token, details);
    }

    /// <inheritdoc />
    public async ValueTask<bool> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var revoked = await Db.ScriptEvaluateAsync(RevokeScript, [_tokens, _names], [name]).ConfigureAwait(false);
        return (int)revoked == 1;
    }

    /// <inheritdoc />
    public async ValueTask CheckAsync(CancellationToken cancellationToken = default) =>
        await Db.PingAsync().ConfigureAwait(false);

    /// <summary>Clears the secret from memory.</summary>
    public void Dispose() => _hasher?.Dispose();

    private async ValueTask<TokenHasher?> HasherAsync(bool create)
    {
        if (Volatile.Read(ref _hasher) is { } known)
        {
            return known;
        }

        if (create)
        {
            // The first gateway or CLI to need it makes it; everyone after reads the same one.
            await Db.StringSetAsync(_secret, Convert.ToBase64String(TokenHasher.NewSecret()), when: When.NotExists).ConfigureAwait(false);
        }

        var stored = await Db.StringGetAsync(_secret).ConfigureAwait(false);
        if (stored.IsNullOrEmpty)
        {
            return null;
        }

        var hasher = new TokenHasher(Convert.FromBase64String(stored.ToString()));
        return Interlocked.CompareExchange(ref _hasher, hasher, null) ?? hasher;
    }
}
