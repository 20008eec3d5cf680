using ApiKeys.Pool;

namespace ApiKeys.Redis;

/// <summary>A key's state as this process last saw it in Redis, with the version it had there.</summary>
internal sealed record RedisVersionedState(KeyState State, long Version);
