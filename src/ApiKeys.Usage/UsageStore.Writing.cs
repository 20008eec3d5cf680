using ApiKeys.Http.Usage;
using ApiKeys.Usage.Aggregates;
using ApiKeys.Usage.Diagnostics;
using ApiKeys.Usage.Queries;
using ApiKeys.Usage.Storage;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage;

public sealed partial class UsageStore
{
    /// <summary>One write: the file (log rows, aggregates, transitions, in one transaction), then the shared aggregates. The caller holds the write gate.</summary>
    private void FlushCore()
    {
        var fresh = new List<UsageRecord>();
        while (_queue.Reader.TryRead(out var record))
        {
            fresh.Add(record);
        }

        while (_events.TryDequeue(out var change))
        {
            _pendingEvents.Add(change);
        }

        if (_shared is not null && fresh.Count > 0)
        {
            Merge(_sharedPending, Aggregate(fresh));
        }

        if (_writer is not null)
        {
            _pending.AddRange(fresh);
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
        if (_pending.Count == 0 && _pendingEvents.Count == 0)
        {
            return;
        }

        try
        {
            _writer!.Write(_pending, Aggregate(_pending), _pendingEvents, _options.RequestLog);
            UsageMetrics.Written(_pending.Count);
            _pending.Clear();
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
            int over = _pending.Count - _options.QueueCapacity;
            if (over > 0)
            {
                _pending.RemoveRange(0, over);
                Drop(over, "database unavailable");
            }

            if (_pendingEvents.Count > 10_000)
            {
                _pendingEvents.RemoveRange(0, _pendingEvents.Count - 10_000);
            }

            Log.WriteFailed(_logger, Path, e.Message, _pending.Count, Dropped);
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
            Log.WriteFailed(_logger, Path, e.Message, _pending.Count, Dropped);
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

    internal static Dictionary<HourlyKey, HourlyCounts> Aggregate(IEnumerable<UsageRecord> records)
    {
        var batch = new Dictionary<HourlyKey, HourlyCounts>();
        foreach (var r in records)
        {
            var key = new HourlyKey(HourlyKey.HourOf(r.Timestamp), HourlyKey.Clean(r.KeyId), HourlyKey.Clean(r.Model), HourlyKey.Clean(r.TokenName), HourlyKey.Clean(r.Outcome));
            if (!batch.TryGetValue(key, out var counts))
            {
                batch[key] = counts = new HourlyCounts();
            }

            counts.Add(r);
        }

        return batch;
    }

    private static void Merge(Dictionary<HourlyKey, HourlyCounts> into, Dictionary<HourlyKey, HourlyCounts> from)
    {
        foreach (var (key, counts) in from)
        {
            if (into.TryGetValue(key, out var existing))
            {
                existing.Add(counts);
            }
            else
            {
                into[key] = counts;
            }
        }
    }
}
