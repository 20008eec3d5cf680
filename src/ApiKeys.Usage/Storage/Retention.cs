using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// Removes what is past its keeping: log rows older than the log's retention or beyond its cap (the oldest first) with their
/// blocks, hourly aggregates, anomalies and key transitions older than theirs; folds the running totals of the hours removed
/// into one row per value (so later differences stay exact); then gives freed pages back to the file system (incremental
/// vacuum). The log's ids grow with time, so its old rows are one id range: deleted by id, in slices, without a scan.
/// </summary>
internal static class Retention
{
    private const int Slice = 50_000;

    /// <summary>Applies the retention at <paramref name="now"/>; returns the log rows removed.</summary>
    public static long Apply(UsageDatabase database, UsageStoreOptions options, DateTimeOffset now)
    {
        var connection = database.Connection;
        long removed = TrimLog(connection, options, now);
        long cut = Aggregates.HourlyKey.HourOf(now - options.AggregateRetention);
        long freed = removed;
        if (database.Meta(SqliteReports.AggregatesFromName) is not { } previous || previous < cut)
        {
            using var transaction = connection.BeginTransaction();
            freed += Run(connection, transaction, "DELETE FROM hourly WHERE hour < $cut", cut);
            freed += Run(connection, transaction, "DELETE FROM anomalies WHERE hour < $cut", cut);
            // Each value's running totals before the cut become one row at cut - 1: the base later hours are subtracted from.
            Run(connection, transaction, $"INSERT OR REPLACE INTO running(dimension, value, hour, {UsageSchema.Counters}) SELECT dimension, value, $cut - 1, "
                + $"{UsageSchema.Counters} FROM running r WHERE hour < $cut AND hour = (SELECT max(hour) FROM running WHERE dimension = r.dimension "
                + "AND value = r.value AND hour < $cut)", cut);
            freed += Run(connection, transaction, "DELETE FROM running WHERE hour < $cut - 1", cut);
            freed += Run(connection, transaction, "DELETE FROM key_events WHERE at < $cut * 3600000", cut);
            database.SetMeta(SqliteReports.AggregatesFromName, cut, transaction);
            transaction.Commit();
        }

        if (freed > 0)
        {
            UsageDatabase.Execute(connection, "PRAGMA incremental_vacuum");
        }

        return removed;
    }

    private static long TrimLog(SqliteConnection connection, UsageStoreOptions options, DateTimeOffset now)
    {
        long? first = UsageDatabase.Scalar(connection, "SELECT min(id) FROM requests");
        long? last = UsageDatabase.Scalar(connection, "SELECT max(id) FROM requests");
        if (first is not { } lo || last is not { } hi)
        {
            return 0;
        }

        long removed = 0;
        long keepFrom = Math.Max(LogSearch.FirstIdAtOrAfter(connection, LogSearch.Seconds(now - options.LogRetention), lo, hi) ?? hi + 1, hi - options.MaxLogRows + 1);
        for (long from = lo; from < keepFrom; from += Slice)
        {
            using var transaction = connection.BeginTransaction();
            removed += Run(connection, transaction, "DELETE FROM requests WHERE id >= $cut AND id < $to", from, Math.Min(from + Slice, keepFrom));
            transaction.Commit();
        }

        if (removed > 0)
        {
            // Blocks wholly before the first row kept (the block of that row keeps its entries: they are a summary).
            Run(connection, null, "DELETE FROM log_blocks WHERE block < $cut", keepFrom >> UsageSchema.BlockBits);
        }

        return removed;
    }

    private static long Run(SqliteConnection connection, SqliteTransaction? transaction, string sql, long cut, long? to = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$cut", cut);
        if (to is { } end)
        {
            command.Parameters.AddWithValue("$to", end);
        }

        return command.ExecuteNonQuery();
    }
}
