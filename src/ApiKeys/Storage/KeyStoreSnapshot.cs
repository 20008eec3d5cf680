using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Storage;

/// <summary>What a store holds.</summary>
/// <param name="Keys">The keys, in order; null when unchanged since the store last returned them, or when the store holds no keys.</param>
/// <param name="States">Every state, by key id.</param>
/// <param name="Epoch">Changes when every state was cleared (a rotation): states from another epoch are not merged.</param>
public sealed record KeyStoreSnapshot(IReadOnlyList<ApiKey>? Keys, IReadOnlyDictionary<string, KeyState> States, string Epoch);
