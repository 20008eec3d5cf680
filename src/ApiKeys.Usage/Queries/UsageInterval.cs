namespace ApiKeys.Usage.Queries;

/// <summary>The time buckets of a usage report.</summary>
public enum UsageInterval
{
    /// <summary>One bucket: the whole range.</summary>
    Total = 0,

    /// <summary>One row per hour (UTC).</summary>
    Hour,

    /// <summary>One row per day (UTC).</summary>
    Day,
}
