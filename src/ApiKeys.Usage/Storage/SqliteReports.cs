using ApiKeys.Usage.Aggregates;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// Usage reports from the SQLite file, grouped in SQL (<see cref="ReportSql"/>): a report without filters reads the running
/// totals of its one dimension (two rows a value for a whole range), a filtered one groups <c>hourly</c>. Only the rows of the
/// report come back to .NET.
/// </summary>
internal static class SqliteReports
{
    /// <summary>The meta entry holding the first hour the aggregates still hold (the retention's cut).</summary>
    public const string AggregatesFromName = "aggregates_from";

    public static (List<UsageRow> Rows, UsageRow Total) Read(UsageDatabase database, UsageQuery query)
    {
        long from = HourlyKey.HourOf(query.From), to = HourlyKey.HourOf(query.To);
        // Hours before the retention's cut are gone from hourly; running keeps their sum in one row, which must not count.
        from = Math.Max(from, database.Meta(AggregatesFromName) ?? long.MinValue);
        var rows = new List<UsageRow>();
        var total = new HourlyCounts();
        if (from > to || Command(database, query, from, to) is not { } command)
        {
            return (rows, new UsageRow("total", null, total));
        }

        using (command)
        {
            int width = ReportSql.Width(query.Interval);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var counts = SqliteAggregates.ReadCounts(reader, 2);
                if (counts.Requests == 0)
                {
                    continue;
                }

                string group = query.GroupBy == UsageGrouping.None ? "all" : database.Names.NameOf(reader.GetInt64(0));
                DateTimeOffset? start = width == 0 ? null : DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(1) * width * 3600);
                rows.Add(new UsageRow(group, start, counts));
                total.Add(counts);
            }
        }

        // By bucket, then by requests (most first), then by name: what UsageReport.Rows promises, from SQLite or Redis.
        rows.Sort(static (a, b) =>
        {
            int order = Nullable.Compare(a.Start, b.Start);
            order = order != 0 ? order : b.Counts.Requests.CompareTo(a.Counts.Requests);
            return order != 0 ? order : string.CompareOrdinal(a.Group, b.Group);
        });
        return (rows, new UsageRow("total", null, total));
    }

    /// <summary>The report's statement; null when a filter names what the file never saw (no row can match).</summary>
    private static Microsoft.Data.Sqlite.SqliteCommand? Command(UsageDatabase database, UsageQuery query, long from, long to)
    {
        var command = database.Connection.CreateCommand();
        command.Parameters.AddWithValue("$from", from);
        command.Parameters.AddWithValue("$to", to);
        int listed = 0;
        foreach (var value in query.GroupValues ?? [])
        {
            if (database.Names.Find(value) is { } id)
            {
                command.Parameters.AddWithValue("$g" + listed++, id);
            }
        }

        if (query.GroupValues is not null && listed == 0)
        {
            command.Dispose();
            return null;
        }

        if (query.KeyId is null && query.Model is null && query.Token is null)
        {
            int width = ReportSql.Width(query.Interval);
            string values = listed == 0 ? ReportSql.AllValues : ReportSql.ListedValues(listed);
            command.CommandText = width == 0 ? ReportSql.RunningTotal(values) : ReportSql.RunningBuckets(values);
            command.Parameters.AddWithValue("$dimension", (long)ReportSql.DimensionOf(query.GroupBy));
            command.Parameters.AddWithValue("$width", Math.Max(width, 1));
            return command;
        }

        if (!Filter(database, command, query))
        {
            command.Dispose();
            return null;
        }

        command.CommandText = ReportSql.Hourly(query, listed);
        return command;
    }

    /// <summary>The filters' ids as parameters; false when one names what the file never saw.</summary>
    private static bool Filter(UsageDatabase database, Microsoft.Data.Sqlite.SqliteCommand command, UsageQuery query)
    {
        foreach (var (name, value) in new[] { ("$key", query.KeyId), ("$model", query.Model), ("$token", query.Token) })
        {
            if (value is null)
            {
                continue;
            }

            if (database.Names.Find(value) is not { } id)
            {
                return false;
            }

            command.Parameters.AddWithValue(name, id);
        }

        return true;
    }
}
