using System.Collections.Concurrent;
using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Security;
using ApiKeys.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace ApiKeys.Redis;

/// <summary>
/// One key pool shared by every process and machine that uses the same Redis and pool name: a cooldown set by one process
/// holds for all as soon as its report returns, leases in flight are capped across all, and rotation is one round-robin.
/// The rules are the in-memory pool's (<see cref="KeyStatePolicy"/>); Redis holds key ids and states, never a secret.
/// Every public member is thread-safe.
/// </summary>
/// <remarks>
/// Each process brings its own keys (from its store or configuration) and is only handed keys it holds. Redis keys are
/// named <c>apikeys:{pool}:...</c> (one hash tag per pool, so a Redis Cluster works). See docs/redis.md.
/// </remarks>
public sealed partial class RedisKeyPool : IKeyPool, IDisposable
{
    private const int MaxWriteAttempts = 200;
    private const int TimeoutRetries = 2;

    private readonly Lock _gate = new();
    private readonly IConnectionMultiplexer _redis;
    private readonly bool _ownsRedis;
    private readonly RedisPoolKeys _names;
    private readonly RedisKey _held;
    private readonly RedisKeyPoolOptions _redisOptions;
    private readonly ApiKeyManagerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly List<ApiKey> _keys;
    private readonly Dictionary<string, int> _slotById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _idBySecret = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, KeyState> _seedStates;
    private readonly ConcurrentDictionary<string, RedisVersionedState> _cache = new(StringComparer.Ordinal);
    private readonly SecretRedactor _redactor;
    private readonly KeyPoolNotifier _notifier;
    private readonly Leases _leases;
    private readonly int _heldCount;
    private long _clockOffsetMs;
    private int _disposed;

    /// <summary>A pool of <paramref name="keys"/> shared through <paramref name="redis"/>.</summary>
    /// <param name="redis">The process's multiplexer (one per process); the pool does not dispose it.</param>
    /// <param name="keys">The keys this process holds (their secrets stay here; Redis sees ids).</param>
    /// <param name="redisOptions">The pool name and Redis behaviour; null for the defaults.</param>
    /// <param name="options">The rules (cooldowns, thresholds, the lease cap); null for the defaults. Every process of a pool should use the same.</param>
    /// <param name="logger">A logger; null for none.</param>
    /// <param name="timeProvider">The local clock (cooldowns use Redis's clock; this one only measures time between calls).</param>
    /// <param name="random">Randomness for jitter; null for <see cref="Random.Shared"/>.</param>
    /// <exception cref="RedisKeyPoolUnavailableException">Redis cannot be reached and <see cref="RedisKeyPoolOptions.FallbackToLocal"/> is off.</exception>
    public RedisKeyPool(IConnectionMultiplexer redis, IEnumerable<ApiKey> keys, RedisKeyPoolOptions? redisOptions = null,
        ApiKeyManagerOptions? options = null, ILogger<RedisKeyPool>? logger = null, TimeProvider? timeProvider = null, Random? random = null)
        : this(redis, ownsRedis: false, keys, states: null, redisOptions, options, logger, timeProvider, random)
    {
    }

    private RedisKeyPool(IConnectionMultiplexer redis, bool ownsRedis, IEnumerable<ApiKey> keys, IReadOnlyDictionary<string, KeyState>? states,
        RedisKeyPoolOptions? redisOptions, ApiKeyManagerOptions? options, ILogger<RedisKeyPool>? logger, TimeProvider? timeProvider, Random? random)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keys);
        _redisOptions = redisOptions ?? new RedisKeyPoolOptions();
        _redisOptions.Validate();
        _options = options ?? new ApiKeyManagerOptions();
        _options.Validate();
        _redis = redis;
        _ownsRedis = ownsRedis;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared;
        _seedStates = states ?? new Dictionary<string, KeyState>();
        _keys = [];
        foreach (var key in keys)
        {
            if (_slotById.TryAdd(key.Id, _keys.Count))
            {
                _idBySecret[key.Secret] = key.Id;
                _keys.Add(key);
            }
        }

        _redactor = new SecretRedactor(_keys.Select(k => k.Secret));
        _notifier = new KeyPoolNotifier(this, _logger) { Redactor = _redactor };
        _leases = new Leases(this);
        _names = new RedisPoolKeys(_redisOptions.KeyPrefix, _redisOptions.PoolName);
        var held = _keys.Where(k => !k.Disabled).Select(k => k.Id).ToList();
        _heldCount = held.Count;
        _held = _names.Held(held);
        _redis.ConnectionRestored += OnConnectionRestored;
        try
        {
            Register();
        }
        catch (RedisKeyPoolUnavailableException e) when (_redisOptions.FallbackToLocal)
        {
            // Registration is retried by the first call that finds Redis back (the scripts say when a pool is unknown).
            Log.RedisUnavailable(_logger, _redisOptions.PoolName, "register", e.InnerException?.GetType().Name ?? e.Message);
        }

        _notifier.ObserveKeys(() => GetStatuses());
    }

    /// <summary>Connects to Redis (failing fast while it is unreachable) and shares a pool of <paramref name="keys"/> through it.</summary>
    /// <param name="connectionString">A StackExchange.Redis configuration string (<c>localhost:6379</c>, <c>host:port,password=...</c>).</param>
    /// <param name="keys">The keys this process holds; null and empty entries are skipped.</param>
    /// <param name="redisOptions">The pool name and Redis behaviour.</param>
    /// <param name="options">The rules.</param>
    /// <param name="logger">A logger.</param>
    /// <param name="timeProvider">The local clock.</param>
    public static RedisKeyPool Connect(string connectionString, IEnumerable<string?> keys, RedisKeyPoolOptions? redisOptions = null,
        ApiKeyManagerOptions? options = null, ILogger<RedisKeyPool>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var list = keys.Where(k => !string.IsNullOrWhiteSpace(k)).Select(k => new ApiKey(k!.Trim(), now)).ToList();
        var redis = ConnectMultiplexer(connectionString);
        try
        {
            return new RedisKeyPool(redis, ownsRedis: true, list, null, redisOptions, options, logger, timeProvider, null);
        }
        catch
        {
            redis.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Shares the keys of <paramref name="store"/> (the JSON store, encrypted or not) through <paramref name="redis"/>;
    /// the store's states seed keys Redis does not know yet. The store is read once and not kept.
    /// </summary>
    /// <exception cref="KeyStoreException">The store cannot be read.</exception>
    public static RedisKeyPool FromStore(IConnectionMultiplexer redis, IKeyStore store, RedisKeyPoolOptions? redisOptions = null,
        ApiKeyManagerOptions? options = null, ILogger<RedisKeyPool>? logger = null, TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        var snapshot = store.Load();
        return new RedisKeyPool(redis, ownsRedis: false, snapshot.Keys ?? [], snapshot.States, redisOptions, options, logger, timeProvider, random);
    }

    /// <summary>
    /// Connects a multiplexer the way the pool wants it: no abort when the server is down at start, and commands fail fast
    /// while disconnected instead of queueing (so <see cref="Acquire"/> reports an outage at once).
    /// </summary>
    /// <param name="connectionString">A StackExchange.Redis configuration string.</param>
    public static ConnectionMultiplexer ConnectMultiplexer(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var config = ConfigurationOptions.Parse(connectionString);
        config.AbortOnConnectFail = false;
        config.BacklogPolicy = BacklogPolicy.FailFast;
        return ConnectionMultiplexer.Connect(config);
    }

    /// <summary>The pool's name in Redis.</summary>
    public string PoolName => _redisOptions.PoolName;

    /// <summary>The rules in force.</summary>
    public ApiKeyManagerOptions Options => _options;

    /// <summary>The keys this process holds, in order (they hold secrets: never log them).</summary>
    public IReadOnlyList<ApiKey> Keys => _keys;

    /// <summary>Masks every key of this pool and every key-shaped token.</summary>
    public SecretRedactor Redactor => _redactor;

    /// <summary>Whether calls are being served from local state because Redis is unreachable.</summary>
    public bool IsUsingLocalFallback => Volatile.Read(ref _fallbackActive) != 0;

    /// <summary>
    /// Waits for the successes sent without waiting for their answer (they reach Redis, or are logged as lost), then releases
    /// the local fallback, and the multiplexer when the pool created it.
    /// </summary>
    public void Dispose()
    {
        AwaitSends();
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // Successes another thread reported meanwhile: sent, or queued behind a batch on its way (which sends them when its
        // answer is in; once disposed that send fails and they are logged as lost); a state write one of them needs, likewise.
        AwaitSends();

        _redis.ConnectionRestored -= OnConnectionRestored;
        _notifier.Dispose();
        lock (_gate)
        {
            _local?.Dispose();
            _local = null;
        }

        if (_ownsRedis)
        {
            _redis.Dispose();
        }
    }

    /// <summary>
    /// Raised for the transitions this process causes (cooling, disabled, enabled; a project's other keys included), as
    /// <see cref="ApiKeyManager.KeyChanged"/> is. Called outside every lock. A cooldown ending is not announced yet: it ends
    /// inside Redis, for every process at once.
    /// </summary>
    public event EventHandler<KeyEventArgs>? KeyChanged
    {
        add => _notifier.KeyChanged += value;
        remove => _notifier.KeyChanged -= value;
    }

    /// <summary>
    /// Raised when a key this process reported reaches <see cref="ApiKeyManagerOptions.AlertAfterConsecutiveFailures"/> strikes
    /// in a row, or fails in a way that calls for attention at once (reported as leaked).
    /// </summary>
    public event EventHandler<KeyAlertEventArgs>? Alert
    {
        add => _notifier.Alert += value;
        remove => _notifier.Alert -= value;
    }

    /// <inheritdoc />
    public override string ToString() => $"RedisKeyPool '{_redisOptions.PoolName}': {_keys.Count} keys";

    /// <summary>Registers this process's keys (ids, projects, seed states) in Redis; keys Redis knows keep their state.</summary>
    private void Register()
    {
        var args = new List<RedisValue>(2 + (_keys.Count * 8)) { _names.KeyPrefix, _names.ProjectPrefix };
        foreach (var key in _keys)
        {
            // After a restart without persistence, the last state this process saw is the best there is.
            var state = _cache.TryGetValue(key.Id, out var seen) ? seen.State : _seedStates.GetValueOrDefault(key.Id) ?? KeyState.Empty;
            RedisStateCodec.AddRegisterArgs(args, key.Id, state, key.Project ?? state.LearnedProject, held: !key.Disabled);
        }

        args.Add(ClockArg());
        var result = Eval(RedisScripts.Register, [_names.Ids, _held, _names.Ring, _names.Cool, _names.Sequence, _names.Guard], [.. args], "register");
        ObserveClock((long)result);
        _cache.Clear();
        Log.Registered(_logger, _redisOptions.PoolName, _keys.Count);
    }

    /// <summary>Redis's clock as this process estimates it: the last reading plus the local time elapsed since.</summary>
    private DateTimeOffset RedisNow() => _time.GetUtcNow().AddMilliseconds(Volatile.Read(ref _clockOffsetMs));

    /// <summary>
    /// The clock every script runs on, its last argument: -1 with <see cref="TimeProvider.System"/> (the script reads Redis's
    /// <c>TIME</c>, the one clock of every process); with another provider (a test's fake clock), that provider's time in unix ms,
    /// so the pool's clock is exactly the provider's, as the local pool's is. Adding the provider's distance from the system
    /// clock to <c>TIME</c> instead made the clock jitter by the real milliseconds a call took (a later script could read an
    /// earlier time, and a RetryAfter exceed the cooldown it was counted from).
    /// </summary>
    private long ClockArg() => ReferenceEquals(_time, TimeProvider.System) ? -1 : _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void ObserveClock(long redisNowMs) =>
        Volatile.Write(ref _clockOffsetMs, redisNowMs - _time.GetUtcNow().ToUnixTimeMilliseconds());

    private double NextJitter()
    {
        lock (_gate)
        {
            return _random.NextDouble();
        }
    }

    private string? ResolveId(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_slotById.ContainsKey(key))
        {
            return key;
        }

        return _idBySecret.GetValueOrDefault(key);
    }
}
