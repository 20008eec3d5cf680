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
    private readonly RawInsert _insertRequest;
    private readonly RawInsert _insertBlock;
    private readonly Dictionary<(Dimension Dimension, long Value, long Block), long> _blocks = [];

    public SqliteUsageWriter(UsageDatabase database)
    {
        _database = database;
        Aggregates = new SqliteAggregates(database);
        // Parameters by position (?1 ... ?11: LogColumns' order), bound through SQLite's C API: these run once per request.
        _insertRequest = new RawInsert(database.Connection, $"INSERT INTO requests({UsageSchema.LogColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
        _insertBlock = new RawInsert(database.Connection, "INSERT INTO log_blocks(dimension, value, block, segments) VALUES (?1, ?2, ?3, ?4) "
            + "ON CONFLICT DO UPDATE SET segments = segments | excluded.segments");
    }

    public SqliteAggregates Aggregates { get; }

    public void Write(IReadOnlyList<LogRow> records, IReadOnlyDictionary<HourlyKey, HourlyCounts> hourly, IReadOnlyList<PendingKeyEvent> events, bool log)
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

    private void WriteLog(IReadOnlyList<LogRow> records, SqliteTransaction transaction)
    {
        var names = _database.Names;
        var contexts = _database.Contexts;
        _blocks.Clear();
        // Read under the write lock, at each batch: another process may have written rows since this one's last batch.
        long id = LastId(transaction);
        foreach (var r in records)
        {
            id++;
            long key = names.IdOf(r.KeyId, transaction);
            long token = names.IdOf(r.TokenName, transaction), model = names.IdOf(r.Model, transaction);
            var context = new RequestContext(token, names.IdOf(r.Route, transaction), model, r.Status, names.IdOf(r.Outcome, transaction));
            _insertRequest.Bind(1, id);
            _insertRequest.Bind(2, r.At);
            _insertRequest.Bind(3, key);
            _insertRequest.Bind(4, contexts.IdOf(context, transaction));
            _insertRequest.Bind(5, r.Retries);
            _insertRequest.Bind(6, r.LatencyMs);
            _insertRequest.Bind(7, r.TimeToFirstByteMs);
            _insertRequest.Bind(8, r.InputTokens);
            _insertRequest.Bind(9, r.OutputTokens);
            _insertRequest.Bind(10, r.CachedTokens);
            _insertRequest.Bind(11, r.ThinkingTokens);
            _insertRequest.Execute();
            long block = id >> UsageSchema.BlockBits, segment = LogBlocks.SegmentBit(id);
            Mark((Dimension.Key, key, block), segment);
            Mark((Dimension.Token, token, block), segment);
            Mark((Dimension.Model, model, block), segment);
            Mark((Dimension.Status, r.Status, block), segment);
        }

        foreach (var ((dimension, value, block), segments) in _blocks)
        {
            _insertBlock.Bind(1, (long)dimension);
            _insertBlock.Bind(2, value);
            _insertBlock.Bind(3, block);
            _insertBlock.Bind(4, segments);
            _insertBlock.Execute();
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

    private void Mark((Dimension, long, long) entry, long segment) =>
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_blocks, entry, out _) |= segment;

    private long LastId(SqliteTransaction transaction) =>
        Math.Max(_database.Meta(LastIdName, transaction) ?? 0, UsageDatabase.Scalar(_database.Connection, transaction, "SELECT max(id) FROM requests") ?? 0);
}
