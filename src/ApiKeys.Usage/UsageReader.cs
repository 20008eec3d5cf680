using ApiKeys.Usage.Aggregates;
using ApiKeys.Usage.Queries;
using ApiKeys.Usage.Storage;

namespace ApiKeys.Usage;

/// <summary>
/// The query API of the usage statistics, for the dashboard and the CLI: usage grouped by key, model, token or outcome per
/// hour or day with totals and error rates (from the SQLite file, or from Redis for a fleet), the request log's pages with
/// filters, each key's history, and the anomaly flags. Reads the file read-only while the gateway writes it (WAL).
/// Thread-safe (one query at a time).
/// </summary>
public sealed class UsageReader : IDisposable
{
    private readonly Lock _gate = new();
    private readonly string _path;
    private readonly IHourlyAggregates? _aggregates;
    private readonly UsageStoreOptions _options;
    private UsageDatabase? _database;

    /// <summary>Reads the statistics of the store directory <paramref name="directory"/>.</summary>
    /// <param name="directory">The store directory (where <c>usage.db</c> is).</param>
    /// <param name="aggregates">Where the aggregates are read; null: the SQLite file (with Redis: <see cref="RedisUsageAggregates"/>, the fleet's sums).</param>
    /// <param name="options">The anomaly thresholds, for Redis's aggregates (the file keeps what the gateway flagged); null for the defaults.</param>
    public UsageReader(string directory, IHourlyAggregates? aggregates = null, UsageStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _path = System.IO.Path.Combine(directory, UsageDatabase.FileName);
        _aggregates = aggregates;
        _options = options ?? new UsageStoreOptions();
    }

    /// <summary>The SQLite file.</summary>
    public string Path => _path;

    /// <summary>
    /// Usage over a range, grouped and bucketed, with totals and the anomalies flagged in it. From the file, grouped in SQL
    /// (a report by one dimension reads two rows of running totals a value, whatever the range); from Redis, the range's
    /// hours are read and grouped here.
    /// </summary>
    /// <exception cref="UsageStoreException">The file cannot be read.</exception>
    /// <exception cref="ArgumentException"><see cref="UsageQuery.GroupValues"/> without a <see cref="UsageQuery.GroupBy"/>.</exception>
    public UsageReport GetUsage(UsageQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.GroupValues is not null && query.GroupBy == UsageGrouping.None)
        {
            throw new ArgumentException("GroupValues lists values of GroupBy: set GroupBy too.", nameof(query));
        }

        long from = HourlyKey.HourOf(query.From), to = HourlyKey.HourOf(query.To);
        lock (_gate)
        {
            if (_aggregates is { } shared)
            {
                var hours = shared.Read(from - _options.AnomalyBaselineHours, to);
                var (grouped, sum) = UsageReportBuilder.Build(query, hours.Where(r => r.Key.Hour >= from));
                return new UsageReport { Query = query, Source = shared.Description, Rows = grouped, Total = sum, Anomalies = AnomalyDetector.Detect(hours, from, to, _options) };
            }

            var database = Database();
            var (rows, total) = Read(() => SqliteReports.Read(database, query));
            return new UsageReport { Query = query, Source = "SQLite " + _path, Rows = rows, Total = total, Anomalies = Read(() => SqliteAnomalies.Read(database, from, to)) };
        }
    }

    /// <summary>
    /// Tokens and keys flagged in the hours from <paramref name="from"/> to <paramref name="to"/>: those the gateway flagged as
    /// it ran (kept in the file), or, from Redis, found now with this reader's thresholds.
    /// </summary>
    public IReadOnlyList<UsageAnomaly> GetAnomalies(DateTimeOffset from, DateTimeOffset to)
    {
        long f = HourlyKey.HourOf(from), t = HourlyKey.HourOf(to);
        lock (_gate)
        {
            return _aggregates is { } shared
                ? AnomalyDetector.Detect(shared.Read(f - _options.AnomalyBaselineHours, t), f, t, _options)
                : Read(() => SqliteAnomalies.Read(Database(), f, t));
        }
    }

    /// <summary>A page of the request log (this gateway's: the log is kept per gateway, also with Redis).</summary>
    /// <exception cref="UsageStoreException">The file cannot be read.</exception>
    public RequestLogPage GetLog(RequestLogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            var database = Database();
            return Read(() => RequestLogReader.Read(database, query));
        }
    }

    /// <summary>A key's transitions (cooling with reason and until when, restored, disabled, enabled), newest first; null <paramref name="keyId"/>: every key's.</summary>
    public IReadOnlyList<KeyHistoryEntry> GetKeyHistory(string? keyId, DateTimeOffset? from = null, int limit = 1000)
    {
        lock (_gate)
        {
            var database = Database();
            return Read(() => KeyHistoryReader.Read(database, keyId, from, limit));
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _database?.Dispose();
            _database = null;
        }
    }

    private UsageDatabase Database() => _database ??= UsageDatabase.OpenReader(_path);

    /// <summary>A query of the file; an SQLite error becomes the store's own exception, naming the file.</summary>
    private T Read<T>(Func<T> query)
    {
        try
        {
            return query();
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw UsageStoreException.From(_path, e);
        }
    }
}
