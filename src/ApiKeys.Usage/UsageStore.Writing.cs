using ApiKeys.Http.Usage;
using ApiKeys.Usage.Aggregates;
using ApiKeys.Usage.Diagnostics;
using ApiKeys.Usage.Queries;
using ApiKeys.Usage.Storage;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage;

public sealed partial class UsageStore
{
    /// <summary>
    /// Takes what the queue holds into what waits for the next write: each record's counts into the pending hourly
    /// aggregates (the file's and the shared ones), its log row as a value. The records themselves are not kept, so they
    /// die young (see <see cref="LogRow"/>). The caller holds the write gate.
    /// </summary>
    private void Drain()
    {
        bool local = _writer is not null, log = local && _options.RequestLog;
        while (_queue.Reader.TryRead(out var record))
        {
            if (local)
            {
                AddTo(_pendingHourly, record);
                _pendingRequests++;
            }

            if (log)
            {
                _pendingRows.Add(LogRow.From(record));
            }

            if (_shared is not null)
            {
                AddTo(_sharedPending, record);
            }
        }

        while (_events.TryDequeue(out var change))
        {
            _pendingEvents.Add(change);
        }
    }

    /// <summary>One write: the file (log rows, aggregates, transitions, in one transaction), then the shared aggregates. The caller holds the write gate.</summary>
    private void FlushCore()
    {
        Drain();
        _lastWrite = _time.GetUtcNow();
        if (_writer is not null)
        {
            WriteLocal();
        }

        WriteShared();
        var now = _time.GetUtcNow();
        if (_database is not null && _failure is null && now - _lastSweep >= SweepEvery)
        {
            _lastSweep = now;
            Sweep(now);
        }

        if (now - _lastAnomalyCheck >= AnomalyCheckEvery)
        {
            _lastAnomalyCheck = now;
            CheckAnomalies(now);
        }
    }

    private void WriteLocal()
    {
        if (_pendingRequests == 0 && _pendingEvents.Count == 0)
        {
            return;
        }

        try
        {
            _writer!.Write(_pendingRows, _pendingHourly, _pendingEvents, _options.RequestLog);
            UsageMetrics.Written(_pendingRequests);
            _pendingRows.Clear();
            _pendingHourly.Clear();
            _pendingRequests = 0;
            _pendingEvents.Clear();
            if (_failure is not null)
            {
                _failure = null;
                Log.Recovered(_logger, Path);
            }
        }
        catch (SqliteException e)
        {
            _failure = UsageStoreException.From(Path, e).Message;
            // The counts wait whole (one entry per hour x key x model x token x outcome); the log keeps its newest rows.
            int over = _pendingRows.Count - _options.QueueCapacity;
            if (over > 0)
            {
                _pendingRows.RemoveRange(0, over);
                Drop(over, "database unavailable");
            }

            if (_pendingEvents.Count > 10_000)
            {
                _pendingEvents.RemoveRange(0, _pendingEvents.Count - 10_000);
            }

            Log.WriteFailed(_logger, Path, e.Message, _pendingRequests, Dropped);
        }
    }

    private void WriteShared()
    {
        if (_shared is null || _sharedPending.Count == 0)
        {
            return;
        }

        try
        {
            _shared.Add(_sharedPending);
            _sharedPending.Clear();
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            if (_sharedPending.Count > MaxSharedPending)
            {
                long lost = _sharedPending.Values.Sum(c => c.Requests);
                _sharedPending.Clear();
                Drop(lost, "shared aggregates unavailable");
            }

            Log.WriteFailed(_logger, _shared.Description, e.Message, _sharedPending.Count, Dropped);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        try
        {
            long removed = Retention.Apply(_database!, _options, now);
            Log.RetentionApplied(_logger, removed);
        }
        catch (SqliteException e)
        {
            Log.WriteFailed(_logger, Path, e.Message, _pendingRequests, Dropped);
        }
    }

    /// <summary>
    /// Checks the current hour and the one before (a burst in an hour's last minute is seen after it ended) against their
    /// baselines, in the fleet's aggregates with Redis, else in the file; logs and counts each flag once, and keeps them in
    /// the file for reports.
    /// </summary>
    private void CheckAnomalies(DateTimeOffset now)
    {
        bool local = _database is not null && _failure is null;
        if (_shared is null && !local)
        {
            return;
        }

        long hour = HourlyKey.HourOf(now);
        List<UsageAnomaly> found;
        try
        {
            found = _shared is { } shared
                ? AnomalyDetector.Detect(shared.Read(hour - 1 - _options.AnomalyBaselineHours, hour), hour - 1, hour, _options)
                : SqliteAnomalies.Detect(_database!, hour - 1, hour, _options);
            if (local)
            {
                SqliteAnomalies.Save(_database!, found);
            }
        }
        catch (Exception e) when (e is SqliteException or StackExchange.Redis.RedisException or TimeoutException)
        {
            return;
        }

        _flagged.RemoveWhere(f => f.Item3 < hour - 1);
        foreach (var anomaly in found)
        {
            if (_flagged.Add((anomaly.Dimension, anomaly.Name, anomaly.Hour.ToUnixTimeSeconds() / 3600)))
            {
                Log.Anomaly(_logger, anomaly.Dimension, anomaly.Name, anomaly.Requests, anomaly.Hour, _options.AnomalyFactor, anomaly.BaselineMedian);
                UsageMetrics.Anomaly(anomaly.Dimension, anomaly.Name);
            }
        }

        _anomalies = [.. found.Where(a => a.Hour.ToUnixTimeSeconds() / 3600 == hour)];
    }

    private static void AddTo(Dictionary<HourlyKey, HourlyCounts> into, UsageRecord r)
    {
        var key = new HourlyKey(HourlyKey.HourOf(r.Timestamp), HourlyKey.Clean(r.KeyId), HourlyKey.Clean(r.Model), HourlyKey.Clean(r.TokenName), HourlyKey.Clean(r.Outcome));
        if (!into.TryGetValue(key, out var counts))
        {
            into[key] = counts = new HourlyCounts();
        }

        counts.Add(r);
    }
}
