using ApiKeys.Http.Usage;
using ApiKeys.Usage.Aggregates;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>Writes one batch in one transaction: the request log's rows, the hourly aggregates, the keys' transitions. Not thread-safe: the store's writer loop owns it.</summary>
internal sealed class SqliteUsageWriter(UsageDatabase database)
{
    private readonly SqliteAggregates _aggregates = new(database);

    public SqliteAggregates Aggregates => _aggregates;

    public void Write(IReadOnlyList<UsageRecord> records, IReadOnlyDictionary<HourlyKey, HourlyCounts> hourly, IReadOnlyList<PendingKeyEvent> events, bool log)
    {
        var connection = database.Connection;
        using var transaction = connection.BeginTransaction();
        try
        {
            if (log)
            {
                WriteLog(records, transaction);
            }

            _aggregates.Add(hourly, transaction);
            WriteEvents(events, transaction);
            transaction.Commit();
        }
        catch
        {
            database.Names.Reset();
            throw;
        }
    }

    private void WriteLog(IReadOnlyList<UsageRecord> records, SqliteTransaction transaction)
    {
        using var command = database.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO requests(at, token, route, model, key, status, outcome, retries, latency_ms, ttfb_ms, tokens_in, tokens_out, tokens_cached, tokens_thinking) "
            + "VALUES ($at, $token, $route, $model, $key, $status, $outcome, $retries, $latency, $ttfb, $in, $out, $cached, $thinking)";
        string[] names = ["$at", "$token", "$route", "$model", "$key", "$status", "$outcome", "$retries", "$latency", "$ttfb", "$in", "$out", "$cached", "$thinking"];
        var p = names.Select(n => command.Parameters.Add(n, SqliteType.Integer)).ToArray();
        var table = database.Names;
        foreach (var r in records)
        {
            p[0].Value = r.Timestamp.ToUnixTimeMilliseconds();
            p[1].Value = table.IdOf(HourlyKey.Clean(r.TokenName), transaction);
            p[2].Value = table.IdOf(HourlyKey.Clean(r.Route), transaction);
            p[3].Value = table.IdOf(HourlyKey.Clean(r.Model), transaction);
            p[4].Value = table.IdOf(HourlyKey.Clean(r.KeyId), transaction);
            p[5].Value = r.Status;
            p[6].Value = table.IdOf(HourlyKey.Clean(r.Outcome), transaction);
            p[7].Value = r.Retries;
            p[8].Value = (long)Math.Round(r.Latency.TotalMilliseconds);
            p[9].Value = r.TimeToFirstByte is { } t ? (long)Math.Round(t.TotalMilliseconds) : DBNull.Value;
            p[10].Value = (object?)r.InputTokens ?? DBNull.Value;
            p[11].Value = (object?)r.OutputTokens ?? DBNull.Value;
            p[12].Value = (object?)r.CachedTokens ?? DBNull.Value;
            p[13].Value = (object?)r.ThinkingTokens ?? DBNull.Value;
            command.ExecuteNonQuery();
        }
    }

    private void WriteEvents(IReadOnlyList<PendingKeyEvent> events, SqliteTransaction transaction)
    {
        if (events.Count == 0)
        {
            return;
        }

        using var command = database.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO key_events(at, key, kind, failure, model, until, reason) VALUES ($at, $key, $kind, $failure, $model, $until, $reason)";
        foreach (var e in events)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$at", e.At.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$key", database.Names.IdOf(HourlyKey.Clean(e.KeyId), transaction));
            command.Parameters.AddWithValue("$kind", e.Kind);
            command.Parameters.AddWithValue("$failure", (object?)e.Failure ?? DBNull.Value);
            command.Parameters.AddWithValue("$model", (object?)HourlyKey.Clean(e.Model) ?? DBNull.Value);
            command.Parameters.AddWithValue("$until", (object?)e.Until?.ToUnixTimeMilliseconds() ?? DBNull.Value);
            command.Parameters.AddWithValue("$reason", (object?)e.Reason ?? DBNull.Value);
            command.ExecuteNonQuery();
        }
    }
}
