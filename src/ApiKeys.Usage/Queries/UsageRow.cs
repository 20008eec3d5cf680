using ApiKeys.Usage.Aggregates;

namespace ApiKeys.Usage.Queries;

/// <summary>One row of a usage report: a group in a time bucket, with its counters and what follows from them.</summary>
/// <param name="Group">The group's value (a key id, model, token name or outcome; "" when none; "total" for the totals).</param>
/// <param name="Start">The bucket's start; null for a report without buckets.</param>
/// <param name="Counts">The counters.</param>
public sealed record UsageRow(string Group, DateTimeOffset? Start, HourlyCounts Counts)
{
    /// <summary>Failures over requests (0 without requests).</summary>
    public double ErrorRate => Counts.Requests == 0 ? 0 : (double)Counts.Failures / Counts.Requests;

    /// <summary>The average latency in milliseconds (null without requests).</summary>
    public double? AverageLatencyMs => Counts.Requests == 0 ? null : (double)Counts.LatencyMsSum / Counts.Requests;

    /// <summary>The average time to first byte in milliseconds (null without one).</summary>
    public double? AverageTtfbMs => Counts.TtfbCount == 0 ? null : (double)Counts.TtfbMsSum / Counts.TtfbCount;

    /// <summary>The latency under which half the requests fell (a histogram bucket's upper bound).</summary>
    public double? P50LatencyMs => LatencyBuckets.Quantile(Counts.Buckets, 0.5);

    /// <summary>The latency under which 95 % of the requests fell (a histogram bucket's upper bound).</summary>
    public double? P95LatencyMs => LatencyBuckets.Quantile(Counts.Buckets, 0.95);
}
