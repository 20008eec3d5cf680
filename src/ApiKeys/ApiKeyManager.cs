using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Security;
using ApiKeys.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApiKeys;

/// <summary>
/// A pool of API keys: hands out the best available key, learns from every outcome, cools failing keys down
/// and brings them back on their own, and keeps its state in a store that survives crashes and is shared by
/// several processes. Every public member is thread-safe.
/// </summary>
/// <remarks>The seed's <c>APIKeyManager</c>: <see cref="GetAvailableKey"/> and <see cref="UpdateKeyStatus(string, bool)"/> work as they did.</remarks>
public sealed partial class ApiKeyManager : IKeyPool, IDisposable
{
    /// <summary>The environment variable naming the store directory when none is given.</summary>
    public const string DirectoryVariable = "APIKEYS_DIR";

    private readonly Lock _gate = new();
    private readonly IKeyStore _store;
    private readonly ApiKeyManagerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly List<KeySlot?> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly List<KeySlot> _order = [];
    private readonly Dictionary<string, KeySlot> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KeySlot> _bySecret = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<KeySlot>> _byProject = new(StringComparer.Ordinal);
    private readonly KeyLane _default = new(null);
    private readonly Dictionary<string, KeyLane> _lanes = new(StringComparer.Ordinal);
    private readonly List<KeySlot> _dirty = [];
    private readonly EnvironmentFaultGuard _guard = new();
    private readonly KeyPoolNotifier _notifier;
    private readonly Leases _leases;
    private string _epoch = "";
    private readonly bool _systemClock;
    private long _clockTick = long.MinValue;
    private DateTimeOffset _clockNow;
    private long _leaseIds;
    private int _disposed;

    /// <summary>Opens the JSON store in <c>APIKEYS_DIR</c>, else the current directory (the seed's <c>APIKeyManager()</c>).</summary>
    /// <exception cref="KeyStoreException">A store file cannot be read; it is left as it is.</exception>
    public ApiKeyManager()
        : this(new JsonKeyStore(DefaultDirectory()))
    {
    }

    /// <summary>
    /// A pool of keys given directly (the seed's <c>APIKeyManager(api_keys=[...])</c>): null and empty entries are skipped,
    /// duplicates kept once. States live in memory, or in <paramref name="stateDirectory"/>'s states file when one is named.
    /// </summary>
    /// <param name="apiKeys">The keys.</param>
    /// <param name="options">The options; null for the defaults.</param>
    /// <param name="stateDirectory">A directory whose <c>api_key_states.json</c> keeps the states; null: memory only.</param>
    /// <param name="logger">A logger; null for none.</param>
    /// <param name="timeProvider">The clock; null for the system clock.</param>
    /// <param name="random">Randomness for jitter; null for <see cref="Random.Shared"/>.</param>
    public ApiKeyManager(IEnumerable<string?> apiKeys, ApiKeyManagerOptions? options = null, string? stateDirectory = null,
        ILogger<ApiKeyManager>? logger = null, TimeProvider? timeProvider = null, Random? random = null)
        : this(DirectStore(apiKeys, stateDirectory, timeProvider ?? TimeProvider.System), options, logger, timeProvider, random)
    {
    }

    /// <summary>A pool on <paramref name="store"/>.</summary>
    /// <param name="store">Where keys and states live; the pool owns it and disposes it.</param>
    /// <param name="options">The options; null for the defaults.</param>
    /// <param name="logger">A logger; null for none.</param>
    /// <param name="timeProvider">The clock; null for the system clock.</param>
    /// <param name="random">Randomness for jitter; null for <see cref="Random.Shared"/>.</param>
    /// <exception cref="KeyStoreException">The store cannot be read; nothing is overwritten.</exception>
    public ApiKeyManager(IKeyStore store, ApiKeyManagerOptions? options = null, ILogger<ApiKeyManager>? logger = null,
        TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _options = options ?? new ApiKeyManagerOptions();
        _options.Validate();
        _store = store;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _systemClock = ReferenceEquals(_time, TimeProvider.System);
        _random = random ?? Random.Shared;
        _notifier = new KeyPoolNotifier(this, _logger);
        _leases = new Leases(this);

        KeyStoreSnapshot snapshot;
        try
        {
            snapshot = store.Load();
        }
        catch
        {
            store.Dispose();
            throw;
        }

        lock (_gate)
        {
            AdoptSnapshot_NeedsLock(snapshot, _time.GetUtcNow(), events: null);
        }

        _notifier.ObserveKeys(() => GetStatuses());
        if (store is not MemoryKeyStore)
        {
            _syncLoop = Task.Run(SyncLoopAsync);
        }
    }

    /// <summary>Keys from environment variables <c>{prefix}1</c> to <c>{prefix}N</c> (gaps allowed), e.g. <c>GEMINI_KEY_1</c>.</summary>
    /// <param name="prefix">The variable prefix.</param>
    /// <param name="options">The options.</param>
    /// <param name="stateDirectory">A directory keeping the states; null: memory only.</param>
    /// <param name="logger">A logger.</param>
    /// <param name="timeProvider">The clock.</param>
    public static ApiKeyManager FromEnvironment(string prefix = "GEMINI_KEY_", ApiKeyManagerOptions? options = null, string? stateDirectory = null,
        ILogger<ApiKeyManager>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        return new ApiKeyManager(ReadEnvironment(prefix), options, stateDirectory, logger, timeProvider);
    }

    /// <summary>Opens the JSON store in <paramref name="directory"/>.</summary>
    public static ApiKeyManager Open(string directory, ApiKeyManagerOptions? options = null, ILogger<ApiKeyManager>? logger = null, TimeProvider? timeProvider = null)
        => new(new JsonKeyStore(directory, timeProvider: timeProvider), options, logger, timeProvider);

    /// <summary>Raised for every change of a key's availability (cooling, restored, disabled, enabled). Called outside the pool's lock.</summary>
    public event EventHandler<KeyEventArgs>? KeyChanged
    {
        add => _notifier.KeyChanged += value;
        remove => _notifier.KeyChanged -= value;
    }

    /// <summary>Raised when a key reaches <see cref="ApiKeyManagerOptions.AlertAfterConsecutiveFailures"/> consecutive failures.</summary>
    public event EventHandler<KeyAlertEventArgs>? Alert
    {
        add => _notifier.Alert += value;
        remove => _notifier.Alert -= value;
    }

    /// <summary>The options in force.</summary>
    public ApiKeyManagerOptions Options => _options;

    /// <summary>Where the store is.</summary>
    public string StoreLocation => _store.Location;

    /// <summary>The number of keys.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _order.Count;
            }
        }
    }

    /// <summary>The keys, in order (they hold secrets: never log them).</summary>
    public IReadOnlyList<ApiKey> Keys
    {
        get
        {
            lock (_gate)
            {
                return [.. _order.Select(s => s.Key)];
            }
        }
    }

    /// <summary>The redactor that masks every key of this pool and every key-shaped token.</summary>
    public SecretRedactor Redactor => _notifier.Redactor;

    /// <summary>The store directory used when none is given: <c>APIKEYS_DIR</c>, else the current directory.</summary>
    public static string DefaultDirectory()
    {
        var dir = Environment.GetEnvironmentVariable(DirectoryVariable);
        return string.IsNullOrWhiteSpace(dir) ? Directory.GetCurrentDirectory() : dir;
    }

    internal static IEnumerable<string> ReadEnvironment(string prefix)
    {
        var found = new SortedDictionary<int, string>();
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(prefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n)
                && entry.Value is string value && !string.IsNullOrWhiteSpace(value))
            {
                found[n] = value.Trim();
            }
        }

        return found.Values;
    }

    private static IKeyStore DirectStore(IEnumerable<string?> apiKeys, string? stateDirectory, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(apiKeys);
        var now = time.GetUtcNow();
        var keys = new List<ApiKey>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in apiKeys)
        {
            var secret = raw?.Trim();
            if (!string.IsNullOrEmpty(secret) && seen.Add(secret))
            {
                keys.Add(new ApiKey(secret, now));
            }
        }

        return stateDirectory is null
            ? new MemoryKeyStore(keys, holdsKeys: true)
            : new JsonKeyStore(stateDirectory, new JsonKeyStoreOptions { GivenKeys = keys }, time);
    }

    /// <summary>Writes every pending change to the store now.</summary>
    /// <exception cref="KeyStoreException">The store could not be written; the changes stay in memory and are retried.</exception>
    public void Flush()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        Sync(throwOnError: true);
    }

    /// <summary>Writes what is pending and releases the store.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        try
        {
            _syncLoop?.Wait(TimeSpan.FromSeconds(10));
        }
        catch (AggregateException)
        {
            // The loop ends by cancellation.
        }

        try
        {
            Sync(throwOnError: false);
        }
        finally
        {
            _notifier.Dispose();
            _store.Dispose();
            _stop.Dispose();
            _syncSignal.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        lock (_gate)
        {
            return $"ApiKeyManager: {_order.Count} keys, {_default.Ring.Count} usable, store {_store.Location}";
        }
    }
}
