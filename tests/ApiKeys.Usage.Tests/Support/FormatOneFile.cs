using System.Globalization;
using ApiKeys.Usage.Aggregates;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Tests.Support;

/// <summary>
/// Writes a usage.db as the first preview wrote it (format 1: the statements of its UsageSchema, verbatim; times in unix
/// milliseconds; one log row of 15 columns a request), to check that this version converts it and loses nothing.
/// </summary>
public static class FormatOneFile
{
    public const int Rows = 1200;

    private static readonly string[] Schema =
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
        "CREATE INDEX IF NOT EXISTS requests_errors ON requests(id) WHERE status >= 400 OR status = 0",
        "CREATE TABLE IF NOT EXISTS key_events(id INTEGER PRIMARY KEY, at INTEGER NOT NULL, key INTEGER NOT NULL, kind TEXT NOT NULL, failure TEXT, model TEXT, until INTEGER, reason TEXT)",
        "CREATE INDEX IF NOT EXISTS key_events_key ON key_events(key)",
        "INSERT OR IGNORE INTO meta(name, value) VALUES ('format', '1')",
    ];

    // names: 1-3 keys, 4-5 models, 6-7 tokens, 8 the route, 9-10 outcomes.
    private static readonly string[] Names = ["k_aaaaaaaaaaaa", "k_bbbbbbbbbbbb", "k_rare0000000", "gemini-2.5-flash", "gemini-2.5-pro", "ci", "batch", "generateContent", "Success", "RateLimited"];

    /// <summary>The log row <paramref name="i"/> (1-based): every 7th rate limited, every 100th on the rare key.</summary>
    public static (DateTimeOffset At, string Key, string Model, string Token, int Status, int InputTokens) Row(int i) =>
        (Records.Start.AddMilliseconds(i * 2_500L + 123), i % 100 == 0 ? Names[2] : Names[i % 2], Names[3 + (i % 3 == 0 ? 1 : 0)], Names[5 + (i % 5 == 0 ? 1 : 0)],
            i % 7 == 0 ? 429 : 200, i);

    public static void Write(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL");
        Execute(connection, "PRAGMA journal_mode = WAL");
        using var transaction = connection.BeginTransaction();
        foreach (var statement in Schema)
        {
            Execute(connection, statement, transaction);
        }

        for (int n = 0; n < Names.Length; n++)
        {
            Execute(connection, $"INSERT INTO names(id, name) VALUES ({n + 1}, '{Names[n]}')", transaction);
        }

        var hourly = new Dictionary<(long, long, long, long, long), long[]>();
        for (int i = 1; i <= Rows; i++)
        {
            var r = Row(i);
            long key = Array.IndexOf(Names, r.Key) + 1, model = Array.IndexOf(Names, r.Model) + 1, token = Array.IndexOf(Names, r.Token) + 1;
            long outcome = r.Status == 200 ? 9 : 10;
            Execute(connection, Invariant($"INSERT INTO requests VALUES ({i}, {r.At.ToUnixTimeMilliseconds()}, {token}, 8, {model}, {key}, {r.Status}, {outcome}, ")
                + Invariant($"{(r.Status == 200 ? 0 : 2)}, 150, 90, {r.InputTokens}, 20, NULL, 3)"), transaction);
            var slot = (HourlyKey.HourOf(r.At), key, model, token, outcome);
            if (!hourly.TryGetValue(slot, out var counts))
            {
                hourly[slot] = counts = new long[3];
            }

            counts[0]++;
            counts[1] += r.Status == 200 ? 1 : 0;
            counts[2] += r.InputTokens;
        }

        foreach (var ((hour, key, model, token, outcome), counts) in hourly)
        {
            Execute(connection, Invariant($"INSERT INTO hourly(hour, key, model, token, outcome, requests, successes, failures, tokens_in) VALUES ({hour}, {key}, {model}, {token}, {outcome}, ")
                + Invariant($"{counts[0]}, {counts[1]}, {counts[0] - counts[1]}, {counts[2]})"), transaction);
        }

        Execute(connection, Invariant($"INSERT INTO key_events(at, key, kind, failure, model, until, reason) VALUES ({Records.Start.ToUnixTimeMilliseconds()}, 2, 'Cooling', ")
            + Invariant($"'RateLimited', 'gemini-2.5-flash', {Records.Start.AddMinutes(1).ToUnixTimeMilliseconds()}, 'rate limited')"), transaction);
        transaction.Commit();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
