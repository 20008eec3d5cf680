using System.Globalization;
using System.Numerics;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// Where in the log a value of a dimension is (<c>log_blocks</c>): per block of 512 ids, a mask of its 64 segments of 8 ids
/// that hold the value. Masks of several filters are ANDed: a page filtered by a key and a rare token reads the few segments
/// where both are, not every block where each is. A summary, not an index: a segment listed may hold no row matching every
/// filter at once (its rows are checked), but a segment not listed holds no row with that value.
/// </summary>
internal static class LogBlocks
{
    private const int SegmentsPerBlock = 1 << (UsageSchema.BlockBits - UsageSchema.SegmentBits);

    /// <summary>The bit of <paramref name="id"/>'s segment in its block's mask.</summary>
    public static long SegmentBit(long id) => 1L << (int)((id >> UsageSchema.SegmentBits) & (SegmentsPerBlock - 1));

    /// <summary>The blocks from <paramref name="first"/> to <paramref name="last"/> holding any of <paramref name="values"/>, ascending, with their segments.</summary>
    public static List<(long Block, ulong Segments)> Holding(SqliteConnection connection, Dimension dimension, IReadOnlyCollection<long> values, long first, long last)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT block, segments FROM log_blocks WHERE dimension = $dimension AND value IN (" + List(values)
            + ") AND block BETWEEN $first AND $last ORDER BY block";
        command.Parameters.AddWithValue("$dimension", (long)dimension);
        command.Parameters.AddWithValue("$first", first);
        command.Parameters.AddWithValue("$last", last);
        var blocks = new List<(long Block, ulong Segments)>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            long block = reader.GetInt64(0);
            ulong segments = unchecked((ulong)reader.GetInt64(1));
            if (blocks.Count > 0 && blocks[^1].Block == block)
            {
                // Several values (statuses of a class): a segment holding any of them.
                blocks[^1] = (block, blocks[^1].Segments | segments);
            }
            else
            {
                blocks.Add((block, segments));
            }
        }

        return blocks;
    }

    /// <summary>The segments in both lists (ascending by block).</summary>
    public static List<(long Block, ulong Segments)> Intersect(List<(long Block, ulong Segments)> a, List<(long Block, ulong Segments)> b)
    {
        var both = new List<(long, ulong)>(Math.Min(a.Count, b.Count));
        for (int i = 0, j = 0; i < a.Count && j < b.Count;)
        {
            if (a[i].Block == b[j].Block)
            {
                ulong segments = a[i].Segments & b[j].Segments;
                if (segments != 0)
                {
                    both.Add((a[i].Block, segments));
                }

                i++;
                j++;
            }
            else if (a[i].Block < b[j].Block)
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return both;
    }

    /// <summary>The id ranges (inclusive, ascending) of runs of consecutive segments, clipped to <paramref name="lo"/>..<paramref name="hi"/>.</summary>
    public static List<(long From, long To)> Ranges(List<(long Block, ulong Segments)> blocks, long lo, long hi)
    {
        var ranges = new List<(long From, long To)>();
        foreach (var (block, segments) in blocks)
        {
            ulong rest = segments;
            while (rest != 0)
            {
                int start = BitOperations.TrailingZeroCount(rest);
                int length = BitOperations.TrailingZeroCount(~(rest >> start));
                rest = length + start >= 64 ? 0 : rest & ~(((1UL << length) - 1) << start);
                long from = (block << UsageSchema.BlockBits) + ((long)start << UsageSchema.SegmentBits);
                long to = from + ((long)length << UsageSchema.SegmentBits) - 1;
                from = Math.Max(from, lo);
                to = Math.Min(to, hi);
                if (from > to)
                {
                    continue;
                }

                if (ranges.Count > 0 && ranges[^1].To + 1 == from)
                {
                    ranges[^1] = (ranges[^1].From, to);
                }
                else
                {
                    ranges.Add((from, to));
                }
            }
        }

        return ranges;
    }

    /// <summary>Integers as an SQL list (they are the file's own ids: nothing a caller typed).</summary>
    public static string List(IEnumerable<long> values) => string.Join(",", values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
}
