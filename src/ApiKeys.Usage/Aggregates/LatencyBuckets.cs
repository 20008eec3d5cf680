namespace ApiKeys.Usage.Aggregates;

/// <summary>The latency histogram's upper bounds (milliseconds), shared by SQLite, Redis and the reports; the last bucket is everything above.</summary>
public static class LatencyBuckets
{
    /// <summary>Upper bounds, in milliseconds, of every bucket but the last.</summary>
    public static IReadOnlyList<int> UpperBoundsMs { get; } = [50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 120_000];

    /// <summary>The number of buckets (one more than <see cref="UpperBoundsMs"/>).</summary>
    public const int Count = 12;

    /// <summary>The bucket of a latency.</summary>
    public static int Of(double milliseconds)
    {
        var bounds = UpperBoundsMs;
        for (int i = 0; i < bounds.Count; i++)
        {
            if (milliseconds <= bounds[i])
            {
                return i;
            }
        }

        return Count - 1;
    }

    /// <summary>The latency under which <paramref name="quantile"/> of the requests fall, as the upper bound of its bucket (null: no request).</summary>
    public static double? Quantile(IReadOnlyList<long> buckets, double quantile)
    {
        long total = buckets.Sum();
        if (total == 0)
        {
            return null;
        }

        long wanted = (long)Math.Ceiling(total * quantile);
        long seen = 0;
        for (int i = 0; i < buckets.Count; i++)
        {
            seen += buckets[i];
            if (seen >= wanted)
            {
                return i < UpperBoundsMs.Count ? UpperBoundsMs[i] : double.PositiveInfinity;
            }
        }

        return double.PositiveInfinity;
    }
}
