namespace ApiKeys.Gateway.Resources;

/// <summary>The key (by id) that created a resource, and when the resource ends at Google.</summary>
internal readonly record struct ResourceOwner(string KeyId, DateTimeOffset Expires);
