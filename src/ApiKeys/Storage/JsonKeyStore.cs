using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Storage;

/// <summary>
/// The JSON store: the seed's <c>api_keys.json</c> and <c>api_key_states.json</c> in one directory, read as the seed
/// wrote them and written in this project's format. Every write is atomic; one lock file serialises every
/// read-modify-write, so several processes share a directory without lost updates; a file that cannot be read is
/// never overwritten.
/// </summary>
public sealed partial class JsonKeyStore : IKeyStore
{
    /// <summary>The seed's keys file name.</summary>
    public const string KeysFileName = "api_keys.json";

    /// <summary>The seed's states file name.</summary>
    public const string StatesFileName = "api_key_states.json";

    /// <summary>The lock file's name (never renamed or deleted).</summary>
    public const string LockFileName = ".apikeys.lock";

    private readonly Lock _gate = new();
    private readonly JsonKeyStoreOptions _options;
    private readonly TimeProvider _time;
    private readonly StoreDirectory _directory;
    private List<ApiKey> _givenKeys;

    /// <summary>Opens the store in <paramref name="directory"/> (created 0700 at the first write if missing, unless <see cref="JsonKeyStoreOptions.CreateDirectory"/> is false).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public JsonKeyStore(string directory, JsonKeyStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = new StoreDirectory(directory);
        Directory = _directory.FullPath;
        _options = options ?? new JsonKeyStoreOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        KeysPath = Path.Combine(Directory, _options.KeysFileName);
        StatesPath = Path.Combine(Directory, _options.StatesFileName);
        LockPath = Path.Combine(Directory, LockFileName);
        _givenKeys = [.. _options.GivenKeys ?? []];
    }

    /// <summary>The store directory.</summary>
    public string Directory { get; }

    /// <summary>The keys file.</summary>
    public string KeysPath { get; }

    /// <summary>The states file.</summary>
    public string StatesPath { get; }

    /// <summary>The lock file.</summary>
    public string LockPath { get; }

    /// <inheritdoc />
    public string Location => Directory;

    /// <inheritdoc />
    public bool HoldsKeys => _options.GivenKeys is null;

    /// <summary>Whether the keys file is encrypted (as last read).</summary>
    public bool IsEncrypted { get; private set; }

    /// <summary>Whether the files last read were in the seed's format (they are migrated at the next write).</summary>
    public bool IsSeedFormat { get; private set; }

    /// <inheritdoc />
    public KeyStoreSnapshot Load()
    {
        lock (_gate)
        {
            // Reads need no lock: every write is an atomic rename, so a reader sees a whole file, old or new.
            EnsureExists();
            var keys = HoldsKeys ? ReadKeys_NeedsLock() : [.. _givenKeys];
            ReadStates_NeedsLock();
            return Snapshot_NeedsLock(keys);
        }
    }

    /// <inheritdoc />
    public KeyStoreSnapshot UpdateKeys(Func<IReadOnlyList<ApiKey>, KeysUpdate?> update)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            PrepareWrite();
            using var fileLock = StoreLock.Acquire(LockPath, "keys");
            var current = HoldsKeys ? ReadKeys_NeedsLock() : [.. _givenKeys];
            ReadStates_NeedsLock();
            var change = update(current);
            if (change is null)
            {
                DropOrphanStates_NeedsLock(current, current);
                return Snapshot_NeedsLock(current);
            }

            List<ApiKey> keys = [.. change.Keys];
            if (HoldsKeys)
            {
                WriteKeys_NeedsLock(keys);
            }
            else
            {
                _givenKeys = keys;
            }

            if (change.ClearStates)
            {
                _epoch = Guid.NewGuid().ToString("N");
                WriteStates_NeedsLock(new(StringComparer.Ordinal));
            }
            else
            {
                DropOrphanStates_NeedsLock(current, keys);
            }

            IsSeedFormat = false;
            return Snapshot_NeedsLock(keys);
        }
    }

    /// <inheritdoc />
    public KeyStoreSnapshot? SyncStates(IReadOnlyList<KeyStateChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        lock (_gate)
        {
            bool keysChanged = HoldsKeys && FileStamp.Of(KeysPath) != _keysStamp;
            bool statesChanged = FileStamp.Of(StatesPath) != _statesStamp;
            if (changes.Count == 0 && !keysChanged && !statesChanged && _states is not null)
            {
                return null;
            }

            if (changes.Count > 0)
            {
                PrepareWrite();
            }

            using var fileLock = changes.Count > 0 ? StoreLock.Acquire(LockPath, "key states") : null;
            List<ApiKey>? keys = null;
            if (HoldsKeys && (keysChanged || FileStamp.Of(KeysPath) != _keysStamp))
            {
                keys = ReadKeys_NeedsLock();
            }

            ReadStates_NeedsLock();
            if (changes.Count > 0 && _returnedEpoch is not null && _epoch != _returnedEpoch)
            {
                // Another process rotated the keys since the pool last read the store: its changes are to states that
                // were cleared. Nothing is merged; the snapshot tells the pool to start over from the new epoch.
                return Snapshot_NeedsLock(keys);
            }

            if (changes.Count > 0)
            {
                WriteMerged_NeedsLock(changes, keys);
            }

            return Snapshot_NeedsLock(keys);
        }
    }

    /// <summary>Merges <paramref name="changes"/> into the states on disk and writes them.</summary>
    private void WriteMerged_NeedsLock(IReadOnlyList<KeyStateChange> changes, List<ApiKey>? keys)
    {
        // Merge into a copy: if the write fails, the cache still holds what is on disk, so the
        // retry adds this process's counters once, not twice.
        var merged = new Dictionary<string, KeyState>(_states!, StringComparer.Ordinal);
        foreach (var change in changes)
        {
            // A key removed (by any process) takes its state with it: a late change for it is not written back.
            if (_keyIds is { } ids && !ids.Contains(change.KeyId))
            {
                continue;
            }

            merged.TryGetValue(change.KeyId, out var disk);
            merged[change.KeyId] = KeyStatePolicy.Merge(disk, change.State, change.Baseline);
        }

        try
        {
            WriteStates_NeedsLock(Pruned(merged));
        }
        catch (KeyStoreException e) when (e.Committed)
        {
            // Renamed into place, not flushed: readers see it, so the pool must count it as written (once).
            e.CommittedSnapshot = Snapshot_NeedsLock(keys);
            throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <inheritdoc />
    public override string ToString() => $"JSON store in {Directory}";

    private KeyStoreSnapshot Snapshot_NeedsLock(List<ApiKey>? keys)
    {
        _returnedEpoch = _epoch;
        return new(keys, new Dictionary<string, KeyState>(Pruned(_states!), StringComparer.Ordinal), _epoch);
    }

    /// <summary>Before a write: the directory exists (created if allowed) and what an earlier write left unflushed is flushed.</summary>
    private void PrepareWrite()
    {
        EnsureExists();
        _directory.Ensure();
    }

    /// <summary>Refuses a missing directory when the store may not create it.</summary>
    private void EnsureExists()
    {
        if (!_options.CreateDirectory && !System.IO.Directory.Exists(Directory))
        {
            throw File.Exists(Directory)
                ? new KeyStoreException($"{Directory} is a file, not a store directory; nothing was read or written.", Directory, KeyStoreErrorKind.NotFound,
                    reason: "not a directory")
                : new KeyStoreException($"{Directory}: the store directory does not exist; nothing was read or written.", Directory, KeyStoreErrorKind.NotFound,
                    reason: "the store directory does not exist");
        }
    }
}
