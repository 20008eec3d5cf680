using ApiKeys.Usage.Aggregates;

namespace ApiKeys.Usage.Queries;

/// <summary>
/// Flags tokens and keys whose requests in an hour exceed <c>factor</c> x the median of their own previous hours (missing
/// hours count as 0) and at least <c>minimum</c> requests: a pure function over requests per name and hour, so SQLite and
/// Redis agree.
/// </summary>
internal static class AnomalyDetector
{
    /// <summary>The anomalies of the hours <paramref name="fromHour"/> to <paramref name="toHour"/> in hourly aggregates (which hold the baseline hours too).</summary>
    public static List<UsageAnomaly> Detect(IReadOnlyList<KeyValuePair<HourlyKey, HourlyCounts>> rows, long fromHour, long toHour, UsageStoreOptions options)
    {
        var found = new List<UsageAnomaly>();
        Detect("token", Tally(rows, static k => k.Token), fromHour, toHour, options, found);
        Detect("key", Tally(rows, static k => k.KeyId), fromHour, toHour, options, found);
        return found;
    }

    /// <summary>Adds to <paramref name="found"/> the anomalies of <paramref name="dimension"/> in requests per name and hour (<paramref name="tally"/>).</summary>
    public static void Detect(string dimension, Dictionary<string, Dictionary<long, long>> tally, long fromHour, long toHour, UsageStoreOptions options, List<UsageAnomaly> found)
    {
        for (long hour = fromHour; hour <= toHour; hour++)
        {
            foreach (var (name, hours) in tally)
            {
                long now = hours.GetValueOrDefault(hour);
                if (name.Length == 0 || now < options.AnomalyMinRequests)
                {
                    continue;
                }

                double median = Median(hours, hour, options.AnomalyBaselineHours);
                if (now > options.AnomalyFactor * median)
                {
                    found.Add(new UsageAnomaly(dimension, name, DateTimeOffset.FromUnixTimeSeconds(hour * 3600), now, median));
                }
            }
        }
    }

    private static double Median(Dictionary<long, long> hours, long hour, int baselineHours)
    {
        var baseline = new long[baselineHours];
        for (int i = 0; i < baseline.Length; i++)
        {
            baseline[i] = hours.GetValueOrDefault(hour - 1 - i);
        }

        Array.Sort(baseline);
        return baseline.Length % 2 == 1 ? baseline[baseline.Length / 2] : (baseline[(baseline.Length / 2) - 1] + baseline[baseline.Length / 2]) / 2.0;
    }

    private static Dictionary<string, Dictionary<long, long>> Tally(IReadOnlyList<KeyValuePair<HourlyKey, HourlyCounts>> rows, Func<HourlyKey, string> name)
    {
        var result = new Dictionary<string, Dictionary<long, long>>(StringComparer.Ordinal);
        foreach (var (key, counts) in rows)
        {
            string n = name(key);
            if (!result.TryGetValue(n, out var hours))
            {
                result[n] = hours = [];
            }

            hours[key.Hour] = hours.GetValueOrDefault(key.Hour) + counts.Requests;
        }

        return result;
    }
}
