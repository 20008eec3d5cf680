using System.Collections.Concurrent;
using System.Threading.Channels;
using ApiKeys.Http.Usage;
using ApiKeys.Pool;
using ApiKeys.Security;
using ApiKeys.Usage.Aggregates;
using ApiKeys.Usage.Diagnostics;
using ApiKeys.Usage.Queries;
using ApiKeys.Usage.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApiKeys.Usage;

/// <summary>
/// Keeps the usage statistics: an <see cref="IUsageSink"/> whose records wait in a bounded queue (a request is never held
/// up: when the queue is full, records are dropped and counted) and are written every few seconds, and at shutdown, in one
/// transaction: the request log, the hourly aggregates and the keys' transitions, in <c>usage.db</c> in the store
/// directory; the aggregates also to <see cref="IHourlyAggregates"/> for a fleet (Redis). A database that cannot be opened
/// or written turns accounting off with one error line; requests are served all the same.
/// </summary>
public sealed partial class UsageStore : IUsageSink, IDisposable
{
    private static readonly TimeSpan SweepEvery = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan AnomalyCheckEvery = TimeSpan.FromMinutes(1);
    private const int MaxSharedPending = 100_000;

    private readonly Channel<UsageRecord> _queue;
    private readonly ConcurrentQueue<PendingKeyEvent> _events = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly UsageStoreOptions _options;
    private readonly IHourlyAggregates? _shared;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly UsageDatabase? _database;
    private readonly SqliteUsageWriter? _writer;
    private readonly string? _openError;
    private readonly List<LogRow> _pendingRows = [];
    private readonly Dictionary<HourlyKey, HourlyCounts> _pendingHourly = [];
    private readonly List<PendingKeyEvent> _pendingEvents = [];
    private readonly Dictionary<HourlyKey, HourlyCounts> _sharedPending = [];
    private readonly HashSet<(string, string, long)> _flagged = [];
    private readonly Thread? _thread;
    private int _pendingRequests;
    private DateTimeOffset _lastWrite;
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;
    private DateTimeOffset _lastAnomalyCheck = DateTimeOffset.MinValue;
    private volatile string? _failure;
    private volatile IReadOnlyList<UsageAnomaly> _anomalies = [];
    private long _dropped;
    private int _disposed;

    /// <summary>Opens (or creates, 0600) <c>usage.db</c> in <paramref name="directory"/> and starts writing every <see cref="UsageStoreOptions.FlushInterval"/>.</summary>
    /// <param name="directory">The store directory.</param>
    /// <param name="options">The options; null for the defaults.</param>
    /// <param name="shared">Where the aggregates also go (Redis, for a fleet); null: the file alone.</param>
    /// <param name="logger">A logger; null for none.</param>
    /// <param name="timeProvider">The clock; null for the system clock. With a fake clock nothing is written until <see cref="FlushAsync"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public UsageStore(string directory, UsageStoreOptions? options = null, IHourlyAggregates? shared = null, ILogger<UsageStore>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _options = options ?? new UsageStoreOptions();
        _options.Validate();
        _shared = shared;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        Path = System.IO.Path.Combine(directory, UsageDatabase.FileName);
        _queue = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(_options.QueueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        if (!_options.Enabled)
        {
            return;
        }

        try
        {
            _database = UsageDatabase.OpenWriter(Path);
            _writer = new SqliteUsageWriter(_database);
        }
        catch (Exception e) when (e is UsageStoreException or IOException or UnauthorizedAccessException)
        {
            _openError = e is UsageStoreException ? e.Message : $"{Path} cannot be opened ({e.Message}); requests are served without usage statistics";
            Log.Unavailable(_logger, _openError);
        }

        // Its own thread: writing is blocking file I/O, which must not hold a thread of the pool that serves requests.
        _thread = new Thread(WriteLoop) { IsBackground = true, Name = "ApiKeys.Usage writer" };
        _thread.Start();
    }

    /// <summary>The SQLite file.</summary>
    public string Path { get; }

    /// <summary>Whether records are written (the file is open and its last write succeeded).</summary>
    public bool IsHealthy => _options.Enabled && _database is not null && _failure is null;

    /// <summary>For <c>/readyz</c>: <c>ok: ...</c>, <c>off</c>, or <c>degraded: why</c> (requests are served either way).</summary>
    public string Status => !_options.Enabled ? "off"
        : _openError is not null ? "degraded: " + _openError
        : _failure is { } f ? "degraded: " + f
        : $"ok: {Path}" + (_shared is null ? "" : $" and {_shared.Description}");

    /// <summary>Requests not accounted since start (queue full, or the database unavailable).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>The anomalies flagged in the current hour (checked every minute).</summary>
    public IReadOnlyList<UsageAnomaly> Anomalies => _anomalies;

    /// <inheritdoc />
    public void Record(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!_options.Enabled || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        if ((_writer is null && _shared is null) || !_queue.Writer.TryWrite(record))
        {
            Drop(1, _writer is null && _shared is null ? "database unavailable" : "queue full");
        }
    }

    /// <summary>Records a key's transition (from the pool's <c>KeyChanged</c> event) for its history; the reason is redacted again with <paramref name="redact"/>.</summary>
    public void RecordKeyChange(KeyEventArgs change, Func<string, string>? redact = null)
    {
        ArgumentNullException.ThrowIfNull(change);
        if (!_options.Enabled || _writer is null)
        {
            return;
        }

        string? reason = change.Reason is { } r ? SecretRedactor.Default.Redact(redact is null ? r : redact(r)) : null;
        _events.Enqueue(new PendingKeyEvent(change.At, change.KeyId, change.Kind.ToString(), change.Failure?.ToString(), change.Model, change.Until, reason));
    }

    /// <summary>Writes what is waiting now (the writer loop does it every <see cref="UsageStoreOptions.FlushInterval"/>), applies the retention when due, and checks for anomalies.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            FlushCore();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Writes what is waiting and closes the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(30));
        _writeGate.Wait();
        try
        {
            FlushCore();
        }
        finally
        {
            _writer?.Dispose();
            _database?.Dispose();
            _writeGate.Release();
            _stop.Dispose();
        }
    }

    private void WriteLoop()
    {
        var stop = _stop.Token;
        while (true)
        {
            try
            {
                // Drained often (the records die young), written every FlushInterval.
                Task.Delay(_options.FlushInterval < DrainInterval ? _options.FlushInterval : DrainInterval, _time, stop).GetAwaiter().GetResult();
                _writeGate.Wait(stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (_time.GetUtcNow() - _lastWrite >= _options.FlushInterval)
                {
                    FlushCore();
                }
                else
                {
                    Drain();
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // An exception would end this thread and the process with it: say so, and try again at the next flush.
                Log.WriteFailed(_logger, Path, e.Message, _pendingRequests, Dropped);
            }
            finally
            {
                _writeGate.Release();
            }
        }
    }

    private void Drop(long count, string reason)
    {
        long total = Interlocked.Add(ref _dropped, count);
        UsageMetrics.Dropped(count, reason);
        // One line for the first drop, then one per 1,000: the log says so without flooding.
        if (total - count == 0 || total / 1000 != (total - count) / 1000)
        {
            Log.Dropped(_logger, count, reason, total);
        }
    }
}
