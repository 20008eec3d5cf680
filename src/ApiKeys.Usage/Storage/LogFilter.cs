using System.Text;
using ApiKeys.Usage.Queries;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>A page's filters as SQL conditions (on the key and the context) and the segments of the log that may hold matching rows (null: all).</summary>
internal sealed record LogFilter(string Where, List<(long Block, ulong Segments)>? Segments)
{
    /// <summary>Null when no row can match (a name or status the file never saw).</summary>
    public static LogFilter? Of(UsageDatabase database, RequestLogQuery query, long lo, long hi)
    {
        var connection = database.Connection;
        long firstBlock = lo >> UsageSchema.BlockBits, lastBlock = hi >> UsageSchema.BlockBits;
        List<(long Block, ulong Segments)>? blocks = null;
        var where = new StringBuilder();
        var context = new List<string>();
        var parameters = new List<(string, object)>();
        foreach (var (dimension, value) in new[] { (Dimension.Key, query.KeyId), (Dimension.Token, query.Token), (Dimension.Model, query.Model) })
        {
            if (value is null)
            {
                continue;
            }

            if (database.Names.Find(value) is not { } id)
            {
                return null;
            }

            Narrow(ref blocks, LogBlocks.Holding(connection, dimension, [id], firstBlock, lastBlock));
            if (dimension == Dimension.Key)
            {
                where.Append(" AND key = ").Append(LogBlocks.List([id]));
            }
            else
            {
                string column = dimension == Dimension.Token ? "token" : "model";
                context.Add($"{column} = ${column}");
                parameters.Add(("$" + column, id));
            }
        }

        if (query.Status is { } status)
        {
            context.Add(status.WithNoResponse ? "(status BETWEEN $smin AND $smax OR status = 0)" : "status BETWEEN $smin AND $smax");
            parameters.Add(("$smin", status.Min));
            parameters.Add(("$smax", status.Max));
            var statuses = Statuses(connection, context[^1], status);
            if (statuses.Count == 0)
            {
                return null;
            }

            Narrow(ref blocks, LogBlocks.Holding(connection, Dimension.Status, statuses, firstBlock, lastBlock));
        }

        if (context.Count > 0)
        {
            var ids = database.Contexts.Where(string.Join(" AND ", context), [.. parameters]);
            if (ids.Count == 0)
            {
                return null;
            }

            where.Append(" AND context IN (").Append(LogBlocks.List(ids)).Append(')');
        }

        return new LogFilter(where.ToString(), blocks);
    }

    private static void Narrow(ref List<(long Block, ulong Segments)>? blocks, List<(long Block, ulong Segments)> holding) => blocks = blocks is null ? holding : LogBlocks.Intersect(blocks, holding);

    private static List<long> Statuses(SqliteConnection connection, string condition, StatusFilter status)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT DISTINCT status FROM contexts WHERE " + condition;
        command.Parameters.AddWithValue("$smin", status.Min);
        command.Parameters.AddWithValue("$smax", status.Max);
        var statuses = new List<long>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            statuses.Add(reader.GetInt64(0));
        }

        return statuses;
    }
}
