using ApiKeys.Usage.Aggregates;

namespace ApiKeys.Usage.Queries;

/// <summary>
/// Flags tokens and keys whose requests in an hour exceed <c>factor</c> x the median of their own previous hours (missing
/// hours count as 0) and at least <c>minimum</c> requests: a pure function over hourly aggregates, so SQLite and Redis agree.
/// </summary>
internal static class AnomalyDetector
{
    public static List<UsageAnomaly> Detect(IReadOnlyList<KeyValuePair<HourlyKey, HourlyCounts>> rows, long fromHour, long toHour, UsageStoreOptions options)
    {
        var perToken = Tally(rows, static k => k.Token);
        var perKey = Tally(rows, static k => k.KeyId);
        var found = new List<UsageAnomaly>();
        for (long hour = fromHour; hour <= toHour; hour++)
        {
            Check("token", perToken, hour, options, found);
            Check("key", perKey, hour, options, found);
        }

        return found;
    }

    private static Dictionary<string, Dictionary<long, long>> Tally(IReadOnlyList<KeyValuePair<HourlyKey, HourlyCounts>> rows, Func<HourlyKey, string> name)
    {
        var result = new Dictionary<string, Dictionary<long, long>>(StringComparer.Ordinal);
        foreach (var (key, counts) in rows)
        {
            string n = name(key);
            if (n.Length == 0)
            {
                continue;
            }

            if (!result.TryGetValue(n, out var hours))
            {
                result[n] = hours = [];
            }

            hours[key.Hour] = hours.GetValueOrDefault(key.Hour) + counts.Requests;
        }

        return result;
    }

    private static void Check(string dimension, Dictionary<string, Dictionary<long, long>> tally, long hour, UsageStoreOptions options, List<UsageAnomaly> found)
    {
        foreach (var (name, hours) in tally)
        {
            long now = hours.GetValueOrDefault(hour);
            if (now < options.AnomalyMinRequests)
            {
                continue;
            }

            var baseline = new long[options.AnomalyBaselineHours];
            for (int i = 0; i < baseline.Length; i++)
            {
                baseline[i] = hours.GetValueOrDefault(hour - 1 - i);
            }

            Array.Sort(baseline);
            double median = baseline.Length % 2 == 1 ? baseline[baseline.Length / 2] : (baseline[(baseline.Length / 2) - 1] + baseline[baseline.Length / 2]) / 2.0;
            if (now > options.AnomalyFactor * median)
            {
                found.Add(new UsageAnomaly(dimension, name, DateTimeOffset.FromUnixTimeSeconds(hour * 3600), now, median));
            }
        }
    }
}
