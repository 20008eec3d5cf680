using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>Finds log ids by time: ids grow with time (rows are written as requests end), so a binary search over ids finds a time's first row in ~20 lookups, with no index on time.</summary>
internal static class LogSearch
{
    /// <summary>The first id in <paramref name="lo"/>..<paramref name="hi"/> whose time (unix seconds) is at or after <paramref name="at"/>; null when none is.</summary>
    public static long? FirstIdAtOrAfter(SqliteConnection connection, long at, long lo, long hi)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, at FROM requests WHERE id >= $id ORDER BY id LIMIT 1";
        var id = command.Parameters.Add("$id", SqliteType.Integer);
        long? found = null;
        while (lo <= hi)
        {
            long mid = lo + ((hi - lo) / 2);
            id.Value = mid;
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                hi = mid - 1;
                continue;
            }

            long rowId = reader.GetInt64(0), rowAt = reader.GetInt64(1);
            if (rowAt >= at)
            {
                found = rowId;
                hi = mid - 1;
            }
            else
            {
                lo = rowId + 1;
            }
        }

        return found;
    }

    /// <summary>A time as the log stores it: unix seconds, rounded up when <paramref name="up"/> (an exclusive end).</summary>
    public static long Seconds(DateTimeOffset time, bool up = false)
    {
        long ms = time.ToUnixTimeMilliseconds();
        return up ? (long)Math.Ceiling(ms / 1000.0) : (long)Math.Floor(ms / 1000.0);
    }
}
