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

    // Two locks, taken in this order and never the other way: the store's (inside _sync: one conversation with the store
    // at a time), then _gate, which guards every part below. No user code (event handlers, loggers) runs under either:
    // what a transition calls for is gathered in _pending under _gate and published once both are released (LockOrder
    // checks the order; Publish checks that no lock is held).
    private readonly Lock _gate = new();
    private readonly KeyTable _table = new();
    private readonly PendingNotices _pending = new();
    private readonly DirtySlots _dirty = new();
    private readonly EnvironmentFaultGuard _guard = new();
    private readonly KeyLanes _lanes;
    private readonly LeaseTable _leases;
    private readonly KeyTransitions _transitions;
    private readonly RequestLimiter _limiter;
    private readonly StoreMerge _merge;
    private readonly StoreSync _sync;
    private readonly CoarseClock _clock;

    // Thread-safe or immutable: used outside the locks.
    private readonly IKeyStore _store;
    private readonly ApiKeyManagerOptions _options;
    private readonly TimeProvider _time;
    private readonly KeyPoolNotifier _notifier;
    private readonly LeaseOwner _owner;
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
        _time = timeProvider ?? TimeProvider.System;
        _clock = new CoarseClock(_time);
        _notifier = new KeyPoolNotifier(this, (ILogger?)logger ?? NullLogger.Instance);
        _owner = new LeaseOwner(this);
        _lanes = new KeyLanes(_table, _options, _pending);
        _leases = new LeaseTable(_lanes, _options, _time);
        _transitions = new KeyTransitions(_table, _lanes, _dirty, _guard, _options, random ?? Random.Shared, _pending);
        _limiter = new RequestLimiter(_options, _transitions);
        _merge = new StoreMerge(_table, _lanes, _dirty, _notifier);
        _sync = new StoreSync(_gate, store, _table, _merge, _dirty, _leases, _pending, _time);
        Load(store);
        _notifier.ObserveKeys(() => GetStatuses());
        if (store is not MemoryKeyStore)
        {
            _syncLoop = new StoreSyncLoop(() => Sync(throwOnError: false), SyncLoopFailed, _options.SyncInterval, _time);
            _syncLoop.Start();
        }
    }

    /// <summary>Raised for every change of a key's availability (cooling, restored, disabled, enabled). Called outside the pool's locks.</summary>
    public event EventHandler<KeyEventArgs>? KeyChanged
    {
        add => _notifier.KeyChanged += value;
        remove => _notifier.KeyChanged -= value;
    }

    /// <summary>
    /// Raised when a key reaches <see cref="ApiKeyManagerOptions.AlertAfterConsecutiveFailures"/> consecutive failures, or
    /// fails in a way that calls for attention at once (reported as leaked). Called outside the pool's locks.
    /// </summary>
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
                return _table.Count;
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
                return [.. _table.Order.Select(s => s.Key)];
            }
        }
    }

    /// <summary>The redactor that masks every key of this pool and every key-shaped token.</summary>
    public SecretRedactor Redactor => _notifier.Redactor;

    /// <summary>Whether this thread holds one of the pool's locks (no user code may run then).</summary>
    internal bool HoldsLock => _gate.IsHeldByCurrentThread || _sync.HoldsLock;

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

        _syncLoop?.Stop(TimeSpan.FromSeconds(10));
        try
        {
            Sync(throwOnError: false);
        }
        finally
        {
            _notifier.Dispose();
            _store.Dispose();
            _syncLoop?.Dispose();
        }
    }

    /// <inheritdoc />
    public override string ToString()
    {
        lock (_gate)
        {
            return $"ApiKeyManager: {_table.Count} keys, {_lanes.Usable.Count} usable, store {_store.Location}";
        }
    }

    private void Load(IKeyStore store)
    {
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
            _merge.Adopt(snapshot, _time.GetUtcNow(), sent: null);
        }
    }

    /// <summary>Logs and raises what the pool's parts gathered under its lock. Called with no lock held (checked).</summary>
    private void Publish(KeyNotices? notices)
    {
        if (notices is null)
        {
            return;
        }

        if (HoldsLock)
        {
            throw new InvalidOperationException("Notices are published with no lock held: event handlers and loggers are user code.");
        }

        _notifier.Publish(notices);
    }
}
