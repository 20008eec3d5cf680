using ApiKeys.Usage.Aggregates;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// The SQLite file's tables (format 2). Dimension values (key ids, models, token names, routes, outcomes) are small integers of
/// <c>names</c>; a request's token, route, model, status and outcome together are one small integer of <c>contexts</c> (a few
/// hundred combinations, whatever the number of keys), so a log row is ~28 bytes. The log's <c>id</c> grows with time: it is
/// the page cursor (keyset pagination), and a time range becomes an id range by a binary search on <c>at</c> (no time index).
/// Instead of an index per filter (~11 bytes a row each), <c>log_blocks</c> says which blocks of 512 ids hold a key, a token,
/// a model or a status, and in which of their segments of 8 ids (one entry per value and block: ~1.5 bytes a row), so a
/// filtered page reads only the segments where every filter's value is.
/// </summary>
/// <remarks>
/// <c>hourly</c> holds every hour x key x model x token x outcome (what filtered reports group). <c>running</c> holds, per
/// dimension value and per hour it was active in, the running totals since its first hour: a report grouped by one dimension
/// takes the difference of two rows per value (a 90-day report by key reads two rows per key, not 90 x 24).
/// </remarks>
internal static class UsageSchema
{
    /// <summary>The format written in <c>meta</c>; a file of a later format is not touched, one of format 1 is converted.</summary>
    public const int Version = 2;

    /// <summary>Log ids per block of <c>log_blocks</c> (a power of two: <c>id &gt;&gt; BlockBits</c>).</summary>
    public const int BlockBits = 9;

    /// <summary>Log ids per segment of a block (<c>(id &gt;&gt; SegmentBits) &amp; 63</c> is its bit in <c>segments</c>).</summary>
    public const int SegmentBits = 3;

    public static readonly string Counters = string.Join(", ", HourlyCounts.Names);

    public static readonly string Contexts = "CREATE TABLE IF NOT EXISTS contexts(id INTEGER PRIMARY KEY, token INTEGER NOT NULL, route INTEGER NOT NULL, "
        + "model INTEGER NOT NULL, status INTEGER NOT NULL, outcome INTEGER NOT NULL, UNIQUE(token, route, model, status, outcome))";

    // at: unix seconds (4 bytes until 2038, then 6); latency and time to first byte in milliseconds.
    public static readonly string Requests = "CREATE TABLE IF NOT EXISTS requests(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, key INTEGER NOT NULL, "
        + "context INTEGER NOT NULL, retries INTEGER NOT NULL, latency_ms INTEGER NOT NULL, ttfb_ms INTEGER, tokens_in INTEGER, tokens_out INTEGER, "
        + "tokens_cached INTEGER, tokens_thinking INTEGER)";

    // segments: a bit for each of the block's 64 segments of 8 ids that holds the value (-1: all of them, in one byte).
    public static readonly string LogBlocks = "CREATE TABLE IF NOT EXISTS log_blocks(dimension INTEGER NOT NULL, value INTEGER NOT NULL, "
        + "block INTEGER NOT NULL, segments INTEGER NOT NULL, PRIMARY KEY(dimension, value, block)) WITHOUT ROWID";

    public static readonly string Running = "CREATE TABLE IF NOT EXISTS running(dimension INTEGER NOT NULL, value INTEGER NOT NULL, hour INTEGER NOT NULL, "
        + string.Join(", ", HourlyCounts.Names.Select(n => n + " INTEGER NOT NULL DEFAULT 0")) + ", PRIMARY KEY(dimension, value, hour)) WITHOUT ROWID";

    public static readonly string[] Statements =
    [
        "CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS names(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
        "INSERT OR IGNORE INTO names(id, name) VALUES (0, '')",
        Contexts,
        Requests,
        LogBlocks,
        "CREATE TABLE IF NOT EXISTS hourly(hour INTEGER NOT NULL, key INTEGER NOT NULL, model INTEGER NOT NULL, token INTEGER NOT NULL, outcome INTEGER NOT NULL, "
            + string.Join(", ", HourlyCounts.Names.Select(n => n + " INTEGER NOT NULL DEFAULT 0"))
            + ", PRIMARY KEY(hour, key, model, token, outcome)) WITHOUT ROWID",
        Running,
        "CREATE TABLE IF NOT EXISTS anomalies(hour INTEGER NOT NULL, dimension INTEGER NOT NULL, value INTEGER NOT NULL, requests INTEGER NOT NULL, "
            + "median REAL NOT NULL, PRIMARY KEY(hour, dimension, value)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS key_events(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, key INTEGER NOT NULL, kind TEXT NOT NULL, failure TEXT, model TEXT, until INTEGER, reason TEXT)",
        "CREATE INDEX IF NOT EXISTS key_events_key ON key_events(key)",
        // For people reading the file with sqlite3: the log with its names.
        "CREATE VIEW IF NOT EXISTS request_log AS SELECT r.id, datetime(r.at, 'unixepoch') AS time, t.name AS token, ro.name AS route, m.name AS model, "
            + "k.name AS key, c.status, o.name AS outcome, r.retries, r.latency_ms, r.ttfb_ms, r.tokens_in, r.tokens_out, r.tokens_cached, r.tokens_thinking "
            + "FROM requests r JOIN contexts c ON c.id = r.context JOIN names t ON t.id = c.token JOIN names ro ON ro.id = c.route "
            + "JOIN names m ON m.id = c.model JOIN names k ON k.id = r.key JOIN names o ON o.id = c.outcome",
    ];

    /// <summary>The log's columns, in the order <see cref="RequestLogReader"/> reads them.</summary>
    public const string LogColumns = "id, at, key, context, retries, latency_ms, ttfb_ms, tokens_in, tokens_out, tokens_cached, tokens_thinking";
}
