using ApiKeys.Pool;

namespace ApiKeys.Storage;

/// <summary>A state this process changed, with the state it started from (so counters merge exactly).</summary>
/// <param name="KeyId">The key's id.</param>
/// <param name="State">The state now.</param>
/// <param name="Baseline">The state last read from or written to the store; null if none was.</param>
public readonly record struct KeyStateChange(string KeyId, KeyState State, KeyState? Baseline);
