using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// Converts a file of format 1 (the first preview: a log row of 15 columns with the time in milliseconds, an index on key
/// and one on errors) to format 2, in one transaction: nothing is lost but the milliseconds of the log's times. Only the
/// writer converts (readers open the file read-only and ask for the gateway to start first).
/// </summary>
internal static class SchemaMigration
{
    private static readonly string[] Version1To2 =
    [
        "DROP INDEX IF EXISTS requests_key",
        "DROP INDEX IF EXISTS requests_errors",
        "ALTER TABLE requests RENAME TO requests_v1",
        UsageSchema.Contexts,
        UsageSchema.Requests,
        UsageSchema.LogBlocks,
        UsageSchema.Running,
        "INSERT INTO contexts(token, route, model, status, outcome) SELECT DISTINCT token, route, model, status, outcome FROM requests_v1 ORDER BY 1, 2, 3, 4, 5",
        "INSERT INTO requests(id, at, key, context, retries, latency_ms, ttfb_ms, tokens_in, tokens_out, tokens_cached, tokens_thinking) "
            + "SELECT r.id, r.at / 1000, r.key, c.id, r.retries, r.latency_ms, r.ttfb_ms, r.tokens_in, r.tokens_out, r.tokens_cached, r.tokens_thinking "
            + "FROM requests_v1 r JOIN contexts c ON c.token = r.token AND c.route = r.route AND c.model = r.model AND c.status = r.status AND c.outcome = r.outcome ORDER BY r.id",
        Blocks(Dimension.Key, "key"),
        Blocks(Dimension.Token, "token"),
        Blocks(Dimension.Model, "model"),
        Blocks(Dimension.Status, "status"),
        "INSERT OR REPLACE INTO meta(name, value) SELECT 'log_last_id', coalesce(max(id), 0) FROM requests_v1",
        "DROP TABLE requests_v1",
        Running(Dimension.All, "0"),
        Running(Dimension.Key, "key"),
        Running(Dimension.Model, "model"),
        Running(Dimension.Token, "token"),
        Running(Dimension.Outcome, "outcome"),
        "UPDATE meta SET value = '2' WHERE name = 'format'",
    ];

    /// <summary>
    /// Reads every page of a file to convert (on a read-only connection, before the writer opens it): a damaged file is
    /// reported, never rewritten into a smaller damaged one.
    /// </summary>
    /// <exception cref="SqliteException">The file is corrupt (code 11).</exception>
    public static void Check(SqliteConnection connection)
    {
        using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA quick_check(1)";
        if (check.ExecuteScalar() is not "ok" and var problem)
        {
            throw new SqliteException($"database disk image is malformed: {problem}", 11);
        }
    }

    public static void FromVersion1(SqliteConnection connection)
    {
        using (var transaction = connection.BeginTransaction())
        {
            // Under the write lock: another gateway opening the same file may have converted it while this one waited.
            if (UsageDatabase.Scalar(connection, transaction, "SELECT value FROM meta WHERE name = 'format'") != 1)
            {
                return;
            }

            foreach (var statement in Version1To2)
            {
                UsageDatabase.Execute(connection, statement, transaction);
            }

            transaction.Commit();
        }

        // The old log's pages go back to the file system.
        UsageDatabase.Execute(connection, "PRAGMA incremental_vacuum");
    }

    /// <summary>The blocks and segments holding each value of a column of the old log (a sum of distinct powers of two is their OR).</summary>
    private static string Blocks(Dimension dimension, string column) =>
        $"INSERT INTO log_blocks(dimension, value, block, segments) SELECT {(int)dimension}, {column}, id >> {UsageSchema.BlockBits}, "
        + $"sum(DISTINCT 1 << ((id >> {UsageSchema.SegmentBits}) & 63)) FROM requests_v1 GROUP BY {column}, id >> {UsageSchema.BlockBits}";

    /// <summary>The running totals of one dimension, from the hourly aggregates: per value and hour, the sum of every hour up to it.</summary>
    private static string Running(Dimension dimension, string column) =>
        $"INSERT INTO running(dimension, value, hour, {UsageSchema.Counters}) SELECT {(int)dimension}, v, hour, "
        + string.Join(", ", Aggregates.HourlyCounts.Names.Select(n => $"sum({n}) OVER (PARTITION BY v ORDER BY hour)"))
        + $" FROM (SELECT {column} AS v, hour, " + string.Join(", ", Aggregates.HourlyCounts.Names.Select(n => $"sum({n}) AS {n}"))
        + " FROM hourly GROUP BY v, hour)";
}
