using ApiKeys.Usage.Aggregates;

namespace ApiKeys.Usage.Queries;

/// <summary>Groups hourly aggregates into a report's rows (one code path for SQLite and Redis).</summary>
internal static class UsageReportBuilder
{
    public static (List<UsageRow> Rows, UsageRow Total) Build(UsageQuery query, IEnumerable<KeyValuePair<HourlyKey, HourlyCounts>> aggregates)
    {
        var groups = new Dictionary<(string Group, long Bucket), HourlyCounts>();
        var total = new HourlyCounts();
        var listed = query.GroupValues is { } values ? new HashSet<string>(values, StringComparer.Ordinal) : null;
        foreach (var (key, counts) in aggregates)
        {
            if ((query.KeyId is { } k && key.KeyId != k) || (query.Model is { } m && key.Model != m) || (query.Token is { } t && key.Token != t))
            {
                continue;
            }

            string group = query.GroupBy switch
            {
                UsageGrouping.Key => key.KeyId,
                UsageGrouping.Model => key.Model,
                UsageGrouping.Token => key.Token,
                UsageGrouping.Outcome => key.Outcome,
                _ => "all",
            };
            if (listed is not null && !listed.Contains(group))
            {
                continue;
            }

            long bucket = query.Interval switch
            {
                UsageInterval.Hour => key.Hour,
                UsageInterval.Day => key.Hour / 24 * 24,
                _ => -1,
            };
            if (!groups.TryGetValue((group, bucket), out var sum))
            {
                groups[(group, bucket)] = sum = new HourlyCounts();
            }

            sum.Add(counts);
            total.Add(counts);
        }

        var rows = groups
            .OrderBy(g => g.Key.Bucket)
            .ThenByDescending(g => g.Value.Requests)
            .ThenBy(g => g.Key.Group, StringComparer.Ordinal)
            .Select(g => new UsageRow(g.Key.Group, g.Key.Bucket < 0 ? null : DateTimeOffset.FromUnixTimeSeconds(g.Key.Bucket * 3600), g.Value))
            .ToList();
        return (rows, new UsageRow("total", null, total));
    }
}
