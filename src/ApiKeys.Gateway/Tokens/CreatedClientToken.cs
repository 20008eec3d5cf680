namespace ApiKeys.Gateway.Tokens;

/// <summary>A token just created: the only time the token itself exists outside the client.</summary>
/// <param name="Token">The token to give the client (shown once; the store keeps its HMAC).</param>
/// <param name="Details">What the store keeps.</param>
public sealed record CreatedClientToken(string Token, ClientToken Details)
{
    /// <summary>Shows the mask, never the token.</summary>
    public override string ToString() => $"{Details.Name} ({ClientTokenFormat.Mask(Token)})";
}
