using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Storage;

/// <summary>
/// The JSON store: the seed's <c>api_keys.json</c> and <c>api_key_states.json</c> in one directory, read as the seed
/// wrote them and written in this project's format. Every write is atomic; one lock file serialises every
/// read-modify-write, so several processes share a directory without lost updates; a file that cannot be read is
/// never overwritten.
/// </summary>
public sealed class JsonKeyStore : IKeyStore
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
    private List<ApiKey> _givenKeys;
    private FileStamp _keysStamp;
    private FileStamp _statesStamp;
    private Dictionary<string, KeyState>? _states;
    private long _statesGeneration;
    private long _keysGeneration;
    private string _epoch = StatesFile.SeedEpoch;

    /// <summary>Opens the store in <paramref name="directory"/> (created 0700 at the first write if missing).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public JsonKeyStore(string directory, JsonKeyStoreOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
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
            EnsureDirectory();
            using var fileLock = StoreLock.Acquire(LockPath, "keys");
            var current = HoldsKeys ? ReadKeys_NeedsLock() : [.. _givenKeys];
            ReadStates_NeedsLock();
            var change = update(current);
            if (change is null)
            {
                return Snapshot_NeedsLock(current);
            }

            List<ApiKey> keys = [.. change.Keys];
            if (HoldsKeys)
            {
                AtomicFile.CleanStale(Directory, _options.KeysFileName);
                long generation = _keysGeneration + 1;
                var json = KeysFile.Serialize(keys, generation);
                try
                {
                    byte[] bytes = _options.Protector is { } protector ? protector.Protect(json, "keys", generation) : json;
                    AtomicFile.Write(KeysPath, bytes);
                }
                finally
                {
                    // The plaintext holds every secret: clear it after the write (without a protector it is the very array written).
                    Array.Clear(json);
                }

                _keysGeneration = generation;
                _keysStamp = FileStamp.Of(KeysPath);
                IsEncrypted = _options.Protector is not null;
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
                EnsureDirectory();
            }

            using var fileLock = changes.Count > 0 ? StoreLock.Acquire(LockPath, "key states") : null;
            List<ApiKey>? keys = null;
            if (HoldsKeys && (keysChanged || FileStamp.Of(KeysPath) != _keysStamp))
            {
                keys = ReadKeys_NeedsLock();
            }

            ReadStates_NeedsLock();
            if (changes.Count > 0)
            {
                // Merge into a copy: if the write fails, the cache still holds what is on disk, so the
                // retry adds this process's counters once, not twice.
                var merged = new Dictionary<string, KeyState>(_states!, StringComparer.Ordinal);
                foreach (var change in changes)
                {
                    merged.TryGetValue(change.KeyId, out var disk);
                    merged[change.KeyId] = KeyStatePolicy.Merge(disk, change.State, change.Baseline);
                }

                WriteStates_NeedsLock(merged);
            }

            return Snapshot_NeedsLock(keys);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
    }

    /// <inheritdoc />
    public override string ToString() => $"JSON store in {Directory}";

    private KeyStoreSnapshot Snapshot_NeedsLock(List<ApiKey>? keys) =>
        new(keys, new Dictionary<string, KeyState>(_states!, StringComparer.Ordinal), _epoch);

    private void EnsureDirectory()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            return;
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                System.IO.Directory.CreateDirectory(Directory);
            }
            else
            {
                System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }
        catch (UnauthorizedAccessException e)
        {
            throw new KeyStoreException($"Failed to create the key store: Permission denied ({Directory})", Directory, KeyStoreErrorKind.PermissionDenied, innerException: e);
        }
        catch (IOException e)
        {
            throw new KeyStoreException($"Failed to create the key store: {e.Message} ({Directory})", Directory, KeyStoreErrorKind.Io, innerException: e);
        }
    }

    private List<ApiKey> ReadKeys_NeedsLock()
    {
        var stamp = FileStamp.Of(KeysPath);
        var bytes = ReadFile(KeysPath);
        if (bytes is null)
        {
            _keysStamp = stamp;
            _keysGeneration = 0;
            IsEncrypted = false;
            return [];
        }

        byte[] json = bytes;
        long envelopeGeneration = -1;
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
        else
        {
            IsEncrypted = false;
        }

        try
        {
            var (keys, seed, generation) = KeysFile.Parse(json, KeysPath, _time.GetUtcNow());
            IsSeedFormat = seed;
            _keysGeneration = Math.Max(generation, envelopeGeneration);
            _keysStamp = stamp;
            return keys;
        }
        finally
        {
            if (!ReferenceEquals(json, bytes))
            {
                Array.Clear(json);
            }

            Array.Clear(bytes);
        }
    }

    private void ReadStates_NeedsLock()
    {
        var stamp = FileStamp.Of(StatesPath);
        if (_states is not null && stamp == _statesStamp)
        {
            return;
        }

        var bytes = ReadFile(StatesPath);
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
        string epoch = _epoch == StatesFile.SeedEpoch ? Guid.NewGuid().ToString("N") : _epoch;
        try
        {
            AtomicFile.Write(StatesPath, StatesFile.Serialize(states, generation, epoch));
        }
        catch
        {
            // Read the file again next time rather than trust a cache that may be ahead of it.
            _states = null;
            _statesStamp = default;
            throw;
        }

        _states = states;
        _epoch = epoch;
        _statesGeneration = generation;
        _statesStamp = FileStamp.Of(StatesPath);
    }

    private byte[]? ReadFile(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            if (stream.Length > _options.MaxFileBytes)
            {
                throw new KeyStoreException($"{path}: {stream.Length} bytes, larger than the {_options.MaxFileBytes} bytes the store reads; the file was left as it is.",
                    path, KeyStoreErrorKind.TooLarge);
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            throw new KeyStoreException($"Failed to load {AtomicFile.Describe(path)}: Permission denied ({path})", path, KeyStoreErrorKind.PermissionDenied, innerException: e);
        }
        catch (IOException e) when (e is not KeyStoreException)
        {
            throw new KeyStoreException($"Failed to load {AtomicFile.Describe(path)}: {e.Message} ({path})", path, KeyStoreErrorKind.Io, innerException: e);
        }
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
