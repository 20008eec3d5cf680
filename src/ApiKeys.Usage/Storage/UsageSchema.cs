using ApiKeys.Usage.Aggregates;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// The SQLite file's tables. Dimension values (key ids, models, token names, routes, outcomes) are small integers of
/// <c>names</c>, so a request log row is ~40 bytes. The log's <c>id</c> grows with time: it is the page cursor (keyset
/// pagination) and, found by a binary search on <c>at</c>, the bounds of a time range. One index serves the key filter (keys
/// are many, so a key's rows are sparse), a partial one the errors; tokens, models and statuses are few and dense, and a page
/// filtered by one is found walking the ids backwards (an index on each would cost ~12 bytes a row for no gain).
/// </summary>
internal static class UsageSchema
{
    /// <summary>The format written in <c>meta</c>; a file of a later format is not touched.</summary>
    public const int Version = 1;

    public static readonly string[] Statements =
    [
        "CREATE TABLE IF NOT EXISTS meta(name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS names(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)",
        "INSERT OR IGNORE INTO names(id, name) VALUES (0, '')",
        "CREATE TABLE IF NOT EXISTS hourly(hour INTEGER NOT NULL, key INTEGER NOT NULL, model INTEGER NOT NULL, token INTEGER NOT NULL, outcome INTEGER NOT NULL, "
            + string.Join(", ", HourlyCounts.Names.Select(n => n + " INTEGER NOT NULL DEFAULT 0"))
            + ", PRIMARY KEY(hour, key, model, token, outcome)) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS requests(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, token INTEGER NOT NULL, route INTEGER NOT NULL, model INTEGER NOT NULL, "
            + "key INTEGER NOT NULL, status INTEGER NOT NULL, outcome INTEGER NOT NULL, retries INTEGER NOT NULL, latency_ms INTEGER NOT NULL, ttfb_ms INTEGER, "
            + "tokens_in INTEGER, tokens_out INTEGER, tokens_cached INTEGER, tokens_thinking INTEGER)",
        "CREATE INDEX IF NOT EXISTS requests_key ON requests(key)",
        // Errors, newest first: a partial index in id order, so an error page walks it backwards and stops at the limit.
        "CREATE INDEX IF NOT EXISTS requests_errors ON requests(id) WHERE status >= 400 OR status = 0",
        "CREATE TABLE IF NOT EXISTS key_events(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, key INTEGER NOT NULL, kind TEXT NOT NULL, failure TEXT, model TEXT, until INTEGER, reason TEXT)",
        "CREATE INDEX IF NOT EXISTS key_events_key ON key_events(key)",
    ];

    /// <summary>The log's columns, in the order <see cref="RequestLogReader"/> reads them.</summary>
    public const string LogColumns = "id, at, token, route, model, key, status, outcome, retries, latency_ms, ttfb_ms, tokens_in, tokens_out, tokens_cached, tokens_thinking";
}
