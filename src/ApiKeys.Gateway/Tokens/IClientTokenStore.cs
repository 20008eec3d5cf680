namespace ApiKeys.Gateway.Tokens;

/// <summary>
/// Where client tokens live: a 0600 file in the store directory (<see cref="JsonClientTokenStore"/>) or Redis
/// (<see cref="RedisClientTokenStore"/>). Changes made by another process (<c>apikeys token revoke</c>) count at the next request.
/// </summary>
public interface IClientTokenStore
{
    /// <summary>The token that <paramref name="presented"/> is, or null (unknown, revoked, or not token-shaped).</summary>
    ValueTask<ClientToken?> FindAsync(string presented, CancellationToken cancellationToken = default);

    /// <summary>Every token, by name.</summary>
    ValueTask<IReadOnlyList<ClientToken>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates a token.</summary>
    /// <exception cref="ArgumentException">The request is not valid, or the name is taken.</exception>
    ValueTask<CreatedClientToken> CreateAsync(ClientTokenRequest request, CancellationToken cancellationToken = default);

    /// <summary>Revokes the token named <paramref name="name"/>; false when there is none.</summary>
    ValueTask<bool> RevokeAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Throws when the store cannot be read (for readiness checks); the message says why.</summary>
    ValueTask CheckAsync(CancellationToken cancellationToken = default);
}
