namespace ApiKeys.Usage.Queries;

/// <summary>A usage report's question: a time range, how to group and bucket, and optional filters.</summary>
public sealed record UsageQuery
{
    /// <summary>The start (rounded down to its hour).</summary>
    public required DateTimeOffset From { get; init; }

    /// <summary>The end (the hour holding it is included).</summary>
    public required DateTimeOffset To { get; init; }

    /// <summary>The grouping.</summary>
    /// <value>The default is <see cref="UsageGrouping.None"/>.</value>
    public UsageGrouping GroupBy { get; init; }

    /// <summary>The time buckets.</summary>
    /// <value>The default is <see cref="UsageInterval.Total"/>.</value>
    public UsageInterval Interval { get; init; }

    /// <summary>Only this key id.</summary>
    public string? KeyId { get; init; }

    /// <summary>Only this model.</summary>
    public string? Model { get; init; }

    /// <summary>Only this client token's name.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// Only these values of <see cref="GroupBy"/> (key ids, models, token names or outcomes), e.g. a chart's few busiest keys
    /// over time: from the file, each listed value's running totals are read (a few rows a value) instead of every value's.
    /// Null: every value. Needs a <see cref="GroupBy"/> other than <see cref="UsageGrouping.None"/>.
    /// </summary>
    public IReadOnlyCollection<string>? GroupValues { get; init; }
}
