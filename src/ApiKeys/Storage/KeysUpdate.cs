using ApiKeys.Keys;

namespace ApiKeys.Storage;

/// <summary>A change of the key set.</summary>
/// <param name="Keys">The new key set, in order.</param>
/// <param name="ClearStates">Whether every state is cleared too (the seed's rotation).</param>
public sealed record KeysUpdate(IReadOnlyList<ApiKey> Keys, bool ClearStates = false);
