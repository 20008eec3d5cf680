using System.Text;
using ApiKeys.Usage.Queries;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// Reads request log pages: the time range becomes an id range (<see cref="LogSearch"/>), the filters become equalities on
/// small integers served by the key, token and model indexes (or the partial index of errors), and the page continues from a
/// cursor id (keyset pagination: a page deep in the log costs what the first does, unlike OFFSET).
/// </summary>
internal static class RequestLogReader
{
    public static RequestLogPage Read(UsageDatabase database, RequestLogQuery query)
    {
        var connection = database.Connection;
        int limit = Math.Clamp(query.Limit, 1, RequestLogQuery.MaxLimit);
        long last = UsageDatabase.Scalar(connection, "SELECT max(id) FROM requests") ?? 0;
        long first = UsageDatabase.Scalar(connection, "SELECT min(id) FROM requests") ?? 1;
        using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT ").Append(UsageSchema.LogColumns).Append(" FROM requests WHERE 1 = 1");
        if (!AddFilters(database, query, command, sql))
        {
            return new RequestLogPage([], null, last);
        }

        if (query.From is { } from && last > 0)
        {
            long? lo = LogSearch.FirstIdAtOrAfter(connection, from.ToUnixTimeMilliseconds(), first, last);
            sql.Append(" AND id >= $lo");
            command.Parameters.AddWithValue("$lo", lo ?? last + 1);
        }

        if (query.To is { } to && last > 0)
        {
            long? hi = LogSearch.FirstIdAtOrAfter(connection, to.ToUnixTimeMilliseconds(), first, last);
            sql.Append(" AND id < $hi");
            command.Parameters.AddWithValue("$hi", hi ?? last + 1);
        }

        bool following = query.After is not null;
        if (following)
        {
            sql.Append(" AND id > $after ORDER BY id ASC");
            command.Parameters.AddWithValue("$after", query.After!.Value);
        }
        else
        {
            if (query.Before is { } before)
            {
                sql.Append(" AND id < $before");
                command.Parameters.AddWithValue("$before", before);
            }

            sql.Append(" ORDER BY id DESC");
        }

        sql.Append(" LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit + 1);
        command.CommandText = sql.ToString();
        var entries = ReadEntries(database, command);
        bool more = entries.Count > limit;
        if (more)
        {
            entries.RemoveAt(entries.Count - 1);
        }

        long? next = !following && more ? entries[^1].Id : null;
        return new RequestLogPage(entries, next, last);
    }

    private static bool AddFilters(UsageDatabase database, RequestLogQuery query, SqliteCommand command, StringBuilder sql)
    {
        foreach (var (column, value) in new[] { ("token", query.Token), ("key", query.KeyId), ("model", query.Model) })
        {
            if (value is null)
            {
                continue;
            }

            // A name the file never saw matches no row.
            if (database.Names.Find(value) is not { } id)
            {
                return false;
            }

            sql.Append(" AND ").Append(column).Append(" = $").Append(column);
            command.Parameters.AddWithValue("$" + column, id);
        }

        if (query.Status is { } status)
        {
            // Written as the partial index's condition, so errors are found through it.
            sql.Append(status.Min >= 400 ? " AND (status >= 400 OR status = 0) AND " : " AND ")
                .Append(status.WithNoResponse ? "(status BETWEEN $smin AND $smax OR status = 0)" : "status BETWEEN $smin AND $smax");
            command.Parameters.AddWithValue("$smin", status.Min);
            command.Parameters.AddWithValue("$smax", status.Max);
        }

        return true;
    }

    private static List<RequestLogEntry> ReadEntries(UsageDatabase database, SqliteCommand command)
    {
        var names = database.Names;
        var entries = new List<RequestLogEntry>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            entries.Add(new RequestLogEntry
            {
                Id = reader.GetInt64(0),
                At = DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                Token = names.NameOf(reader.GetInt64(2)),
                Route = names.NameOf(reader.GetInt64(3)),
                Model = names.NameOf(reader.GetInt64(4)),
                KeyId = names.NameOf(reader.GetInt64(5)),
                Status = reader.GetInt32(6),
                Outcome = names.NameOf(reader.GetInt64(7)),
                Retries = reader.GetInt32(8),
                LatencyMs = reader.GetInt64(9),
                TtfbMs = Nullable(reader, 10),
                InputTokens = Nullable(reader, 11),
                OutputTokens = Nullable(reader, 12),
                CachedTokens = Nullable(reader, 13),
                ThinkingTokens = Nullable(reader, 14),
            });
        }

        return entries;
    }

    private static long? Nullable(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);
}
