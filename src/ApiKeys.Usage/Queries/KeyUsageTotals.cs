using System.Globalization;
using System.Text;
using ApiKeys.Usage.Storage;

namespace ApiKeys.Usage.Queries;

/// <summary>
/// Totals for a few keys over a range, summed in SQL from the hourly aggregates of this gateway's file: the dashboard's keys
/// page shows "today" for the 50 keys of a page without grouping every key's rows in memory (what <see cref="UsageReader.GetUsage"/>
/// does for a report). The hours are listed (each (hour, key) pair a seek in the primary key); the keys are matched on their small integers.
/// </summary>
public static class KeyUsageTotals
{
    /// <summary>The most keys one call sums.</summary>
    public const int MaxKeys = 1000;

    private const int MaxListedHours = 31 * 24;

    /// <summary>Requests and tokens of each key of <paramref name="keyIds"/> in the hours from <paramref name="from"/> to <paramref name="to"/>; keys without any are left out.</summary>
    /// <param name="reader">The statistics (its file is read; with Redis, this gateway's share only).</param>
    /// <param name="keyIds">Key ids, at most <see cref="MaxKeys"/>.</param>
    /// <param name="from">The start (rounded down to its hour).</param>
    /// <param name="to">The end (the hour holding it is included).</param>
    /// <exception cref="UsageStoreException">The file cannot be read.</exception>
    public static IReadOnlyDictionary<string, KeyUsageTotal> GetKeyTotals(this UsageReader reader, IReadOnlyCollection<string> keyIds, DateTimeOffset from, DateTimeOffset to)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(keyIds);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(keyIds.Count, MaxKeys);
        var result = new Dictionary<string, KeyUsageTotal>(StringComparer.Ordinal);
        if (keyIds.Count == 0)
        {
            return result;
        }

        using var database = UsageDatabase.OpenReader(reader.Path);
        try
        {
            var ids = new Dictionary<long, string>();
            foreach (var keyId in keyIds)
            {
                if (database.Names.Find(keyId) is { } n)
                {
                    ids[n] = keyId;
                }
            }

            if (ids.Count == 0)
            {
                return result;
            }

            using var command = database.Connection.CreateCommand();
            var sql = new StringBuilder("SELECT key, sum(requests), sum(failures), sum(tokens_in), sum(tokens_out) FROM hourly WHERE ")
                .Append(Hours(Aggregates.HourlyKey.HourOf(from), Aggregates.HourlyKey.HourOf(to))).Append(" AND key IN (");
            int i = 0;
            foreach (var n in ids.Keys)
            {
                sql.Append(i == 0 ? "" : ", ").Append("$k").Append(i);
                command.Parameters.AddWithValue("$k" + i++, n);
            }

            command.CommandText = sql.Append(") GROUP BY key").ToString();
            using var rows = command.ExecuteReader();
            while (rows.Read())
            {
                string keyId = ids[rows.GetInt64(0)];
                result[keyId] = new KeyUsageTotal(keyId, rows.GetInt64(1), rows.GetInt64(2), rows.GetInt64(3), rows.GetInt64(4));
            }

            return result;
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            throw UsageStoreException.From(reader.Path, e);
        }
    }

    /// <summary>
    /// The hours' condition. A range on the primary key's first column (hour) reads every key's rows of those hours (10,000
    /// keys: 30 to 60 ms for a day); a list of hours lets SQLite seek (hour, key) for each pair (1 ms). Up to 31 days listed.
    /// </summary>
    private static string Hours(long first, long last) =>
        last - first is >= 0 and < MaxListedHours
            ? "hour IN (" + string.Join(", ", Enumerable.Range(0, (int)(last - first + 1)).Select(h => (first + h).ToString(CultureInfo.InvariantCulture))) + ")"
            : string.Create(CultureInfo.InvariantCulture, $"hour BETWEEN {first} AND {last}");
}
