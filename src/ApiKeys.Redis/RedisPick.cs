using ApiKeys.Pool;

namespace ApiKeys.Redis;

/// <summary>What an acquire got: a lease, or why none and until when.</summary>
internal sealed record RedisPick(KeyLease? Lease, DateTimeOffset? AvailableAt, NoKeyReason Reason, DateTimeOffset Now);
