using ApiKeys.Usage.Aggregates;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// The SQL of usage reports; every statement answers rows of (group value, bucket, the counters), grouped in SQL. Parameters:
/// <c>$from</c> and <c>$to</c> (unix hours, both included), <c>$dimension</c> for <c>running</c>, and the filters' ids.
/// </summary>
internal static class ReportSql
{
    private static readonly IReadOnlyList<string> Names = HourlyCounts.Names;

    /// <summary>Every value of a dimension, one seek each (a skip scan of running's key).</summary>
    public const string AllValues =
        "WITH RECURSIVE vals(v) AS (SELECT (SELECT min(value) FROM running WHERE dimension = $dimension) "
        + "UNION ALL SELECT (SELECT min(value) FROM running WHERE dimension = $dimension AND value > vals.v) FROM vals WHERE vals.v IS NOT NULL)";

    /// <summary>
    /// A report grouped by one dimension over the whole range, from <c>running</c>: per value, its running totals at the
    /// last hour it was active in up to <c>$to</c>, minus those before <c>$from</c> (two rows a value, however long the range).
    /// </summary>
    public static string RunningTotal(string values) =>
        values + " SELECT vals.v, 0, " + string.Join(", ", Names.Select(n => $"e.{n} - coalesce(s.{n}, 0)"))
        + " FROM vals JOIN running e ON e.dimension = $dimension AND e.value = vals.v"
        + " AND e.hour = (SELECT max(hour) FROM running WHERE dimension = $dimension AND value = vals.v AND hour <= $to)"
        + " LEFT JOIN running s ON s.dimension = $dimension AND s.value = vals.v"
        + " AND s.hour = (SELECT max(hour) FROM running WHERE dimension = $dimension AND value = vals.v AND hour < $from)"
        + " WHERE e.hour >= $from";

    /// <summary>
    /// A report grouped by one dimension per bucket of <c>$width</c> hours, from <c>running</c>: per value and bucket, the
    /// running totals at its last active hour in the bucket minus those at the end of the value's previous active bucket
    /// (or before <c>$from</c>: bucket -1).
    /// </summary>
    public static string RunningBuckets(string values) =>
        values + ", ends AS ("
        + $"SELECT r.value AS value, r.hour / $width AS bucket, max(r.hour), {Columns("r.")} FROM vals JOIN running r"
        + " ON r.dimension = $dimension AND r.value = vals.v AND r.hour BETWEEN $from AND $to GROUP BY r.value, r.hour / $width"
        + $" UNION ALL SELECT r.value, -1, r.hour, {Columns("r.")} FROM vals JOIN running r ON r.dimension = $dimension AND r.value = vals.v"
        + " AND r.hour = (SELECT max(hour) FROM running WHERE dimension = $dimension AND value = vals.v AND hour < $from)), "
        + "deltas AS (SELECT value, bucket, " + string.Join(", ", Names.Select(n => $"{n} - coalesce(lag({n}) OVER w, 0) AS {n}"))
        + " FROM ends WINDOW w AS (PARTITION BY value ORDER BY bucket)) "
        + $"SELECT value, bucket, {Columns("")} FROM deltas WHERE bucket >= 0";

    /// <summary>The listed values of a dimension (parameters <c>$g0</c> to <c>$g{count - 1}</c>), in place of <see cref="AllValues"/>.</summary>
    public static string ListedValues(int count) =>
        "WITH RECURSIVE vals(v) AS (VALUES " + string.Join(", ", Enumerable.Range(0, count).Select(i => $"($g{i})")) + ")";

    /// <summary>A filtered report, from <c>hourly</c>, grouped in SQL; with a key, one seek per hour of the range (the key follows the hour in the table's key).</summary>
    /// <param name="query">The report.</param>
    /// <param name="listed">How many values of the grouping are listed (parameters <c>$g0</c>...); 0: every value.</param>
    public static string Hourly(UsageQuery query, int listed)
    {
        string group = query.GroupBy switch
        {
            UsageGrouping.Key => "h.key",
            UsageGrouping.Model => "h.model",
            UsageGrouping.Token => "h.token",
            UsageGrouping.Outcome => "h.outcome",
            _ => "0",
        };
        string filters = (query.KeyId is null ? "" : " AND h.key = $key") + (query.Model is null ? "" : " AND h.model = $model")
            + (query.Token is null ? "" : " AND h.token = $token")
            + (listed == 0 ? "" : $" AND {group} IN (" + string.Join(", ", Enumerable.Range(0, listed).Select(i => $"$g{i}")) + ")");
        string select = $"SELECT {group}, {Bucket(query.Interval, "h.hour")}, " + string.Join(", ", Names.Select(n => $"sum(h.{n})"));
        return query.KeyId is null
            ? $"{select} FROM hourly h WHERE h.hour BETWEEN $from AND $to{filters} GROUP BY 1, 2"
            : $"WITH RECURSIVE hours(hour) AS (SELECT $from UNION ALL SELECT hour + 1 FROM hours WHERE hour < $to) {select} FROM hours "
                + $"JOIN hourly h ON h.hour = hours.hour{filters} GROUP BY 1, 2";
    }

    /// <summary>The dimension of <c>running</c> a grouping reads.</summary>
    public static Dimension DimensionOf(UsageGrouping grouping) => grouping switch
    {
        UsageGrouping.Key => Dimension.Key,
        UsageGrouping.Model => Dimension.Model,
        UsageGrouping.Token => Dimension.Token,
        UsageGrouping.Outcome => Dimension.Outcome,
        _ => Dimension.All,
    };

    /// <summary>The width of an interval's buckets in hours (0: the whole range).</summary>
    public static int Width(UsageInterval interval) => interval switch
    {
        UsageInterval.Hour => 1,
        UsageInterval.Day => 24,
        _ => 0,
    };

    private static string Bucket(UsageInterval interval, string hour) => Width(interval) switch
    {
        0 => "0",
        1 => hour,
        int width => $"{hour} / {width}",
    };

    private static string Columns(string prefix) => string.Join(", ", Names.Select(n => prefix + n));
}
