using System.Security.Cryptography;
using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Storage;

// Reading and writing the two files, and what the store remembers of them. Every member needs the store's lock.
public sealed partial class JsonKeyStore
{
    private FileStamp _keysStamp;
    private FileStamp _statesStamp;
    private Dictionary<string, KeyState>? _states;
    private long _statesGeneration;
    private long _keysGeneration;
    private string _epoch = StatesFile.SeedEpoch;

    // The epoch of the last snapshot returned: the pool's changes were made in it (null before the first).
    private string? _returnedEpoch;

    // The ids of the keys file as last read or written (null until then, and when the keys are given directly).
    private HashSet<string>? _keyIds;

    private List<ApiKey> ReadKeys_NeedsLock()
    {
        var stamp = FileStamp.Of(KeysPath);
        var bytes = StoreFile.Read(KeysPath, _options.MaxFileBytes);
        if (bytes is null)
        {
            _keysStamp = stamp;
            _keysGeneration = 0;
            _keyIds = [];
            IsEncrypted = false;
            return [];
        }

        byte[] json = bytes;
        long envelopeGeneration = -1;
        try
        {
            if (_options.Protector is { } protector && protector.IsProtected(bytes))
            {
                (json, envelopeGeneration) = protector.Unprotect(bytes, "keys", KeysPath);
                IsEncrypted = true;
            }
            else if (EncryptedEnvelopeMagic.IsEnvelope(bytes))
            {
                throw new KeyStoreException($"{KeysPath} is encrypted: give the passphrase (APIKEYS_PASSPHRASE or --passphrase-file) to open it.",
                    KeysPath, KeyStoreErrorKind.Decryption);
            }
            else if (_options.Protector is not null)
            {
                // Read as plain, every later write would be plain too: the one way from plain to encrypted is explicit.
                throw new KeyStoreException(
                    $"{KeysPath} is not encrypted, but a passphrase was given: a plain keys file is not opened as an encrypted store " +
                    "(nor written in clear). Encrypt it with `apikeys encrypt` (EncryptedStore.Encrypt), or open it without a passphrase; the file was left as it is.",
                    KeysPath, KeyStoreErrorKind.NotEncrypted, reason: "the keys file is not encrypted");
            }
            else
            {
                IsEncrypted = false;
            }

            var (keys, seed, generation) = KeysFile.Parse(json, KeysPath, _time.GetUtcNow());
            IsSeedFormat = seed;
            _keysGeneration = Math.Max(generation, envelopeGeneration);
            _keysStamp = stamp;
            _keyIds = [.. keys.Select(k => k.Id)];
            return keys;
        }
        finally
        {
            if (!ReferenceEquals(json, bytes))
            {
                CryptographicOperations.ZeroMemory(json);
            }

            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private void WriteKeys_NeedsLock(List<ApiKey> keys)
    {
        AtomicFile.CleanStale(Directory, _options.KeysFileName);
        long generation = _keysGeneration + 1;
        using (var json = KeysFile.Serialize(keys, generation))
        {
            try
            {
                if (_options.Protector is { } protector)
                {
                    AtomicFile.Write(KeysPath, protector.Protect(json.WrittenSpan, "keys", generation));
                }
                else
                {
                    AtomicFile.Write(KeysPath, json.WrittenSpan);
                }
            }
            catch (KeyStoreException e) when (e.Committed)
            {
                // In place but not flushed: read it again next time, and flush the directory before the next write.
                _keysStamp = default;
                _directory.MarkUnflushed(Directory);
                throw;
            }
        }

        _keysGeneration = generation;
        _keysStamp = FileStamp.Of(KeysPath);
        _keyIds = [.. keys.Select(k => k.Id)];
        IsEncrypted = _options.Protector is not null;
    }

    private void ReadStates_NeedsLock()
    {
        var stamp = FileStamp.Of(StatesPath);
        if (_states is not null && stamp == _statesStamp)
        {
            return;
        }

        var bytes = StoreFile.Read(StatesPath, _options.MaxFileBytes);
        if (bytes is null)
        {
            _states ??= new(StringComparer.Ordinal);
            _statesStamp = stamp;
            return;
        }

        var content = StatesFile.Parse(bytes, StatesPath);
        _states = content.States;
        _statesGeneration = content.Generation;
        _epoch = content.Epoch;
        IsSeedFormat |= content.Seed;
        _statesStamp = stamp;
    }

    private void WriteStates_NeedsLock(Dictionary<string, KeyState> states)
    {
        AtomicFile.CleanStale(Directory, _options.StatesFileName);
        long generation = _statesGeneration + 1;

        // The epoch changes only at a rotation (UpdateKeys with ClearStates), never at a plain write: a store that never
        // rotated keeps the initial epoch, so its first write (or the seed files' migration) is no rotation to the
        // processes that read it before, and none of their unsaved outcomes is dropped.
        string epoch = _epoch;
        try
        {
            AtomicFile.Write(StatesPath, StatesFile.Serialize(states, generation, epoch));
        }
        catch (KeyStoreException e) when (e.Committed)
        {
            // In place but not flushed: it is what every reader sees, so the cache follows it; the directory is
            // flushed again before the next write.
            _directory.MarkUnflushed(Directory);
            Written(states, generation, epoch);
            throw;
        }
        catch
        {
            // Read the file again next time rather than trust a cache that may be ahead of it.
            _states = null;
            _statesStamp = default;
            throw;
        }

        Written(states, generation, epoch);
    }

    private void Written(Dictionary<string, KeyState> states, long generation, string epoch)
    {
        _states = states;
        _epoch = epoch;
        _statesGeneration = generation;
        _statesStamp = FileStamp.Of(StatesPath);
    }

    /// <summary>
    /// After a key change from <paramref name="before"/> to <paramref name="after"/>: a removed key's state goes with it, an
    /// added key starts with none (whatever an older file says), and, when the keys file holds the keys, states of keys it
    /// does not hold are dropped. Writes the states file only when something was dropped.
    /// </summary>
    private void DropOrphanStates_NeedsLock(IReadOnlyList<ApiKey> before, IReadOnlyList<ApiKey> after)
    {
        var beforeIds = before.Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
        var afterIds = after.Select(k => k.Id).ToHashSet(StringComparer.Ordinal);
        var drop = _states!.Keys
            .Where(id => afterIds.Contains(id) ? !beforeIds.Contains(id) : beforeIds.Contains(id) || HoldsKeys)
            .ToList();
        if (drop.Count == 0)
        {
            return;
        }

        var kept = new Dictionary<string, KeyState>(_states, StringComparer.Ordinal);
        foreach (var id in drop)
        {
            kept.Remove(id);
        }

        WriteStates_NeedsLock(kept);
    }

    /// <summary>The states of keys the keys file holds (all of them when the keys are given directly or not read yet).</summary>
    private Dictionary<string, KeyState> Pruned(Dictionary<string, KeyState> states)
    {
        if (_keyIds is not { } ids || states.Keys.All(ids.Contains))
        {
            return states;
        }

        return states.Where(p => ids.Contains(p.Key)).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>What identifies a version of a file without reading it: size, modification and change times.</summary>
    private readonly record struct FileStamp(long Length, long Modified, long Changed)
    {
        public static FileStamp Of(string path)
        {
            try
            {
                var info = new FileInfo(path);
                return info.Exists ? new(info.Length, info.LastWriteTimeUtc.Ticks, info.CreationTimeUtc.Ticks) : default;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return default;
            }
        }
    }
}
