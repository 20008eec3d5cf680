using ApiKeys.Http.Usage;
using ApiKeys.Usage.Aggregates;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// Writes one batch in one transaction: the request log's rows (with the blocks each key, token, model and status is in),
/// the hourly aggregates, the keys' transitions. Its statements are prepared once and reused for every batch. Not
/// thread-safe: the store's writer owns it.
/// </summary>
/// <remarks>
/// Other processes may write to the same file (two gateways on one store directory): a batch's transaction takes the
/// write lock at its start (<c>BEGIN IMMEDIATE</c>, waiting up to the busy timeout), and what it builds on is read under
/// that lock: the last log id, each name's and context's id (an upsert that returns the id another writer may have given).
/// Nothing read from the file is kept across batches but ids, which never change once committed.
/// </remarks>
internal sealed class SqliteUsageWriter : IDisposable
{
    private const string LastIdName = "log_last_id";

    private readonly UsageDatabase _database;
    private readonly SqliteCommand _insertRequest;
    private readonly SqliteParameter[] _request;
    private readonly SqliteCommand _insertBlock;
    private readonly SqliteParameter[] _block;
    private readonly Dictionary<(Dimension Dimension, long Value, long Block), long> _blocks = [];

    public SqliteUsageWriter(UsageDatabase database)
    {
        _database = database;
        Aggregates = new SqliteAggregates(database);
        _insertRequest = database.Connection.CreateCommand();
        _insertRequest.CommandText = $"INSERT INTO requests({UsageSchema.LogColumns}) VALUES ($id, $at, $key, $context, $retries, $latency, $ttfb, $in, $out, $cached, $thinking)";
        _request = UsageDatabase.Parameters(_insertRequest, "$id", "$at", "$key", "$context", "$retries", "$latency", "$ttfb", "$in", "$out", "$cached", "$thinking");
        _insertBlock = database.Connection.CreateCommand();
        _insertBlock.CommandText = "INSERT INTO log_blocks(dimension, value, block, segments) VALUES ($dimension, $value, $block, $segments) "
            + "ON CONFLICT DO UPDATE SET segments = segments | excluded.segments";
        _block = UsageDatabase.Parameters(_insertBlock, "$dimension", "$value", "$block", "$segments");
    }

    public SqliteAggregates Aggregates { get; }

    public void Write(IReadOnlyList<UsageRecord> records, IReadOnlyDictionary<HourlyKey, HourlyCounts> hourly, IReadOnlyList<PendingKeyEvent> events, bool log)
    {
        using var transaction = _database.Connection.BeginTransaction();
        try
        {
            if (log && records.Count > 0)
            {
                WriteLog(records, transaction);
            }

            Aggregates.Add(hourly, transaction);
            WriteEvents(events, transaction);
            transaction.Commit();
        }
        catch
        {
            // What the rolled back transaction added is not in the file: forget it (another writer may give those ids).
            transaction.Rollback();
            _database.Names.Reset();
            _database.Contexts.Reset();
            throw;
        }
    }

    public void Dispose()
    {
        Aggregates.Dispose();
        _insertRequest.Dispose();
        _insertBlock.Dispose();
    }

    private void WriteLog(IReadOnlyList<UsageRecord> records, SqliteTransaction transaction)
    {
        _insertRequest.Transaction = transaction;
        var names = _database.Names;
        var contexts = _database.Contexts;
        _blocks.Clear();
        // Read under the write lock, at each batch: another process may have written rows since this one's last batch.
        long id = LastId(transaction);
        foreach (var r in records)
        {
            id++;
            long key = names.IdOf(HourlyKey.Clean(r.KeyId), transaction);
            long token = names.IdOf(HourlyKey.Clean(r.TokenName), transaction), model = names.IdOf(HourlyKey.Clean(r.Model), transaction);
            var context = new RequestContext(token, names.IdOf(HourlyKey.Clean(r.Route), transaction), model, r.Status, names.IdOf(HourlyKey.Clean(r.Outcome), transaction));
            _request[0].Value = id;
            _request[1].Value = r.Timestamp.ToUnixTimeSeconds();
            _request[2].Value = key;
            _request[3].Value = contexts.IdOf(context, transaction);
            _request[4].Value = r.Retries;
            _request[5].Value = Milliseconds(r.Latency);
            _request[6].Value = r.TimeToFirstByte is { } t ? Milliseconds(t) : DBNull.Value;
            _request[7].Value = (object?)r.InputTokens ?? DBNull.Value;
            _request[8].Value = (object?)r.OutputTokens ?? DBNull.Value;
            _request[9].Value = (object?)r.CachedTokens ?? DBNull.Value;
            _request[10].Value = (object?)r.ThinkingTokens ?? DBNull.Value;
            _insertRequest.ExecuteNonQuery();
            long block = id >> UsageSchema.BlockBits, segment = LogBlocks.SegmentBit(id);
            Mark((Dimension.Key, key, block), segment);
            Mark((Dimension.Token, token, block), segment);
            Mark((Dimension.Model, model, block), segment);
            Mark((Dimension.Status, r.Status, block), segment);
        }

        _insertBlock.Transaction = transaction;
        foreach (var ((dimension, value, block), segments) in _blocks)
        {
            _block[0].Value = (long)dimension;
            _block[1].Value = value;
            _block[2].Value = block;
            _block[3].Value = segments;
            _insertBlock.ExecuteNonQuery();
        }

        // The largest id ever given: ids keep growing even when retention empties the log (a follower's cursor stays valid).
        _database.SetMeta(LastIdName, id, transaction);
    }

    private void WriteEvents(IReadOnlyList<PendingKeyEvent> events, SqliteTransaction transaction)
    {
        if (events.Count == 0)
        {
            return;
        }

        using var command = _database.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO key_events(at, key, kind, failure, model, until, reason) VALUES ($at, $key, $kind, $failure, $model, $until, $reason)";
        foreach (var e in events)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$at", e.At.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$key", _database.Names.IdOf(HourlyKey.Clean(e.KeyId), transaction));
            command.Parameters.AddWithValue("$kind", e.Kind);
            command.Parameters.AddWithValue("$failure", (object?)e.Failure ?? DBNull.Value);
            command.Parameters.AddWithValue("$model", (object?)HourlyKey.Clean(e.Model) ?? DBNull.Value);
            command.Parameters.AddWithValue("$until", (object?)e.Until?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            command.Parameters.AddWithValue("$reason", (object?)e.Reason ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
    }

    private void Mark((Dimension, long, long) entry, long segment) => _blocks[entry] = _blocks.GetValueOrDefault(entry) | segment;

    private long LastId(SqliteTransaction transaction) =>
        Math.Max(_database.Meta(LastIdName, transaction) ?? 0, UsageDatabase.Scalar(_database.Connection, transaction, "SELECT max(id) FROM requests") ?? 0);

    private static long Milliseconds(TimeSpan span) => (long)Math.Round(span.TotalMilliseconds);
}
