using ApiKeys.Pool;

namespace ApiKeys.Redis;

/// <summary>
/// A key's state as this process last saw it in Redis, with the version it had there and how many successes counted
/// outside the json (<see cref="RedisScripts.Success"/>) it includes.
/// </summary>
internal sealed record RedisVersionedState(KeyState State, long Version, long Folded = 0);
