using ApiKeys.Keys;

namespace ApiKeys.Storage;

/// <summary>
/// Where a pool keeps its keys and their states. Implementations serialise read-modify-write cycles
/// (several processes may share one store) and never overwrite what they could not read.
/// </summary>
public interface IKeyStore : IDisposable
{
    /// <summary>Where the store is, for messages (a directory, a URL without credentials).</summary>
    string Location { get; }

    /// <summary>Whether the store holds the keys; false when keys are given directly and only states are kept.</summary>
    bool HoldsKeys { get; }

    /// <summary>Reads the keys and states.</summary>
    /// <exception cref="KeyStoreException">A file cannot be read or parsed.</exception>
    KeyStoreSnapshot Load();

    /// <summary>Changes the key set atomically: reads the current keys, applies <paramref name="update"/>, writes the result before returning.</summary>
    /// <param name="update">Given the keys on disk now, returns the change to make, or null to make none.</param>
    /// <returns>What is on disk afterwards.</returns>
    /// <exception cref="KeyStoreException">The store cannot be read, or the write failed.</exception>
    KeyStoreSnapshot UpdateKeys(Func<IReadOnlyList<ApiKey>, KeysUpdate?> update);

    /// <summary>
    /// Writes this process's state changes, merged with what other processes wrote, and returns the merged states;
    /// returns null when nothing changed on disk since the last call and there was nothing to write.
    /// </summary>
    /// <exception cref="KeyStoreException">The store cannot be read, or the write failed.</exception>
    KeyStoreSnapshot? SyncStates(IReadOnlyList<KeyStateChange> changes);
}
