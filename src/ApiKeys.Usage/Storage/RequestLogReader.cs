using System.Globalization;
using ApiKeys.Usage.Queries;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// Reads request log pages: the time range becomes an id range (<see cref="LogSearch"/>), the cursor narrows it (keyset
/// pagination: a page deep in the log costs what the first does, unlike OFFSET), the filters become the blocks that hold
/// their values (<see cref="LogBlocks"/>: a rare key's page reads a few blocks, not the whole log) and equalities on small
/// integers within them.
/// </summary>
internal static class RequestLogReader
{
    // The log's columns, of the table aliased r.
    private static readonly string Columns = string.Join(", ", UsageSchema.LogColumns.Split(", ").Select(c => "r." + c));

    public static RequestLogPage Read(UsageDatabase database, RequestLogQuery query)
    {
        var connection = database.Connection;
        int limit = Math.Clamp(query.Limit, 1, RequestLogQuery.MaxLimit);
        long last = UsageDatabase.Scalar(connection, "SELECT max(id) FROM requests") ?? 0;
        long first = UsageDatabase.Scalar(connection, "SELECT min(id) FROM requests") ?? 1;
        var empty = new RequestLogPage([], null, last);
        var range = last == 0 ? null : IdRange(connection, query, first, last);
        if (range is not { } ids || ids.Lo > ids.Hi || LogFilter.Of(database, query, ids.Lo, ids.Hi) is not { } filter)
        {
            return empty;
        }

        bool following = query.After is not null;
        List<(long From, long To)> ranges = filter.Segments is null ? [(ids.Lo, ids.Hi)] : LogBlocks.Ranges(filter.Segments, ids.Lo, ids.Hi);
        if (!following)
        {
            ranges.Reverse();
        }

        var entries = ReadRanges(database, ranges, filter.Where, following, limit + 1);
        bool more = entries.Count > limit;
        if (more)
        {
            entries.RemoveAt(entries.Count - 1);
        }

        return new RequestLogPage(entries, !following && more ? entries[^1].Id : null, last);
    }

    /// <summary>The ids (inclusive) the time range and the cursor allow; null when none.</summary>
    private static (long Lo, long Hi)? IdRange(SqliteConnection connection, RequestLogQuery query, long first, long last)
    {
        long lo = first, hi = last;
        if (query.From is { } from)
        {
            if (LogSearch.FirstIdAtOrAfter(connection, LogSearch.Seconds(from), first, last) is not { } start)
            {
                return null;
            }

            lo = start;
        }

        if (query.To is { } to && LogSearch.FirstIdAtOrAfter(connection, LogSearch.Seconds(to, up: true), first, last) is { } end)
        {
            hi = end - 1;
        }

        if (query.After is { } after)
        {
            lo = Math.Max(lo, after + 1);
        }
        else if (query.Before is { } before)
        {
            hi = Math.Min(hi, before - 1);
        }

        return (lo, hi);
    }

    /// <summary>
    /// The first <paramref name="wanted"/> matching rows of <paramref name="ranges"/> (in the page's order): a large range is
    /// walked in id order up to the limit; small ones (segments a rare filter points to) go up to 64 at a time in one
    /// statement, each a seek (a table of bounds joined to the log: an OR of ranges would let SQLite walk the whole log in id
    /// order instead).
    /// </summary>
    private static List<RequestLogEntry> ReadRanges(UsageDatabase database, List<(long From, long To)> ranges, string where, bool ascending, int wanted)
    {
        const int SmallRange = 512, Batch = 64;
        string order = ascending ? "ASC" : "DESC";
        var entries = new List<RequestLogEntry>();
        for (int i = 0; i < ranges.Count && entries.Count < wanted;)
        {
            int end = i + 1;
            while (Size(ranges[i]) <= SmallRange && end < ranges.Count && end - i < Batch && Size(ranges[end]) <= SmallRange)
            {
                end++;
            }

            using var command = database.Connection.CreateCommand();
            command.CommandText = Size(ranges[i]) > SmallRange
                ? string.Create(CultureInfo.InvariantCulture, $"SELECT {UsageSchema.LogColumns} FROM requests WHERE id BETWEEN {ranges[i].From} AND {ranges[i].To}{where} ORDER BY id {order} LIMIT $limit")
                : $"WITH bounds(lo, hi) AS (VALUES {Bounds(ranges, i, end)}) SELECT {Columns} FROM bounds CROSS JOIN requests r ON r.id BETWEEN bounds.lo AND bounds.hi "
                    + $"WHERE 1 = 1{where} ORDER BY r.id {order} LIMIT $limit";
            command.Parameters.AddWithValue("$limit", wanted - entries.Count);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                entries.Add(Entry(database, reader));
            }

            i = end;
        }

        return entries;
    }

    private static string Bounds(List<(long From, long To)> ranges, int from, int to) =>
        string.Join(", ", ranges.Skip(from).Take(to - from).Select(r => string.Create(CultureInfo.InvariantCulture, $"({r.From}, {r.To})")));

    private static long Size((long From, long To) range) => range.To - range.From + 1;

    private static RequestLogEntry Entry(UsageDatabase database, SqliteDataReader reader)
    {
        var names = database.Names;
        var context = database.Contexts.Of(reader.GetInt64(3));
        return new RequestLogEntry
        {
            Id = reader.GetInt64(0),
            At = DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(1)),
            KeyId = names.NameOf(reader.GetInt64(2)),
            Token = names.NameOf(context.Token),
            Route = names.NameOf(context.Route),
            Model = names.NameOf(context.Model),
            Status = context.Status,
            Outcome = names.NameOf(context.Outcome),
            Retries = reader.GetInt32(4),
            LatencyMs = reader.GetInt64(5),
            TtfbMs = Nullable(reader, 6),
            InputTokens = Nullable(reader, 7),
            OutputTokens = Nullable(reader, 8),
            CachedTokens = Nullable(reader, 9),
            ThinkingTokens = Nullable(reader, 10),
        };
    }

    private static long? Nullable(SqliteDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);
}
