using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// Removes what is past its keeping: log rows older than the log's retention or beyond its cap (the oldest first), hourly
/// aggregates and key transitions older than theirs; then gives freed pages back to the file system (incremental vacuum).
/// The log's ids grow with time, so its old rows are one id range: deleted by id, in slices, without a scan.
/// </summary>
internal static class Retention
{
    private const int Slice = 50_000;

    /// <summary>Applies the retention at <paramref name="now"/>; returns the log rows removed.</summary>
    public static long Apply(UsageDatabase database, UsageStoreOptions options, DateTimeOffset now)
    {
        var connection = database.Connection;
        long removed = 0;
        long? first = UsageDatabase.Scalar(connection, "SELECT min(id) FROM requests");
        long? last = UsageDatabase.Scalar(connection, "SELECT max(id) FROM requests");
        if (first is { } lo && last is { } hi)
        {
            long keepFrom = Math.Max(LogSearch.FirstIdAtOrAfter(connection, (now - options.LogRetention).ToUnixTimeMilliseconds(), lo, hi) ?? hi + 1,
                hi - options.MaxLogRows + 1);
            for (long from = lo; from < keepFrom; from += Slice)
            {
                removed += Delete(connection, "DELETE FROM requests WHERE id >= $a AND id < $b", from, Math.Min(from + Slice, keepFrom));
            }
        }

        long hour = Aggregates.HourlyKey.HourOf(now - options.AggregateRetention);
        Delete(connection, "DELETE FROM hourly WHERE hour < $a AND $b = $b", hour, 0);
        Delete(connection, "DELETE FROM key_events WHERE at < $a AND $b = $b", (now - options.AggregateRetention).ToUnixTimeMilliseconds(), 0);
        if (removed > 0)
        {
            UsageDatabase.Execute(connection, "PRAGMA incremental_vacuum");
        }

        return removed;
    }

    private static long Delete(SqliteConnection connection, string sql, long a, long b)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$a", a);
        command.Parameters.AddWithValue("$b", b);
        return command.ExecuteNonQuery();
    }
}
