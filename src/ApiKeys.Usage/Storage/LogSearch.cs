using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>Finds log ids by time: ids grow with time (rows are written as requests end), so a binary search over ids finds a time's first row in ~20 lookups, with no index on time.</summary>
internal static class LogSearch
{
    /// <summary>The first id in <paramref name="lo"/>..<paramref name="hi"/> whose time is at or after <paramref name="unixMs"/>; null when none is.</summary>
    public static long? FirstIdAtOrAfter(SqliteConnection connection, long unixMs, long lo, long hi)
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

            long rowId = reader.GetInt64(0), at = reader.GetInt64(1);
            if (at >= unixMs)
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
}
