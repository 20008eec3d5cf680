namespace ApiKeys.Gateway.Resources;

/// <summary>A resource a response created or renewed, and when it ends at Google (null: the response does not say).</summary>
internal sealed record CreatedResource(string Name, DateTimeOffset? Expires);
