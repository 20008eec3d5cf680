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
    /// <param name="options">The anomaly thresholds; null for the defaults.</param>
    public UsageReader(string directory, IHourlyAggregates? aggregates = null, UsageStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _path = System.IO.Path.Combine(directory, UsageDatabase.FileName);
        _aggregates = aggregates;
        _options = options ?? new UsageStoreOptions();
    }

    /// <summary>The SQLite file.</summary>
    public string Path => _path;

    /// <summary>Usage over a range, grouped and bucketed, with totals and the anomalies flagged in it.</summary>
    /// <exception cref="UsageStoreException">The file cannot be read.</exception>
    public UsageReport GetUsage(UsageQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        long from = HourlyKey.HourOf(query.From), to = HourlyKey.HourOf(query.To);
        lock (_gate)
        {
            var source = Aggregates();
            var rows = source.Read(from - _options.AnomalyBaselineHours, to);
            var (grouped, total) = UsageReportBuilder.Build(query, rows.Where(r => r.Key.Hour >= from));
            return new UsageReport
            {
                Query = query,
                Source = source.Description,
                Rows = grouped,
                Total = total,
                Anomalies = AnomalyDetector.Detect(rows, from, to, _options),
            };
        }
    }

    /// <summary>Tokens and keys flagged in the hours from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public IReadOnlyList<UsageAnomaly> GetAnomalies(DateTimeOffset from, DateTimeOffset to)
    {
        long f = HourlyKey.HourOf(from), t = HourlyKey.HourOf(to);
        lock (_gate)
        {
            return AnomalyDetector.Detect(Aggregates().Read(f - _options.AnomalyBaselineHours, t), f, t, _options);
        }
    }

    /// <summary>A page of the request log (this gateway's: the log is kept per gateway, also with Redis).</summary>
    /// <exception cref="UsageStoreException">The file cannot be read.</exception>
    public RequestLogPage GetLog(RequestLogQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        lock (_gate)
        {
            return RequestLogReader.Read(Database(), query);
        }
    }

    /// <summary>A key's transitions (cooling with reason and until when, restored, disabled, enabled), newest first; null <paramref name="keyId"/>: every key's.</summary>
    public IReadOnlyList<KeyHistoryEntry> GetKeyHistory(string? keyId, DateTimeOffset? from = null, int limit = 1000)
    {
        lock (_gate)
        {
            return KeyHistoryReader.Read(Database(), keyId, from, limit);
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

    private IHourlyAggregates Aggregates() => _aggregates ?? new SqliteAggregates(Database());

    private UsageDatabase Database() => _database ??= UsageDatabase.OpenReader(_path);
}
