using ApiKeys.Gateway.Tokens;

namespace ApiKeys.Gateway.Limits;

/// <summary>Enforces a client token's limits: requests per minute, per day, and in flight.</summary>
public interface IClientLimiter
{
    /// <summary>Takes one request's permission for <paramref name="token"/>, or says which limit refuses it and for how long.</summary>
    ValueTask<ClientLimitLease> AcquireAsync(ClientToken token, CancellationToken cancellationToken = default);
}
