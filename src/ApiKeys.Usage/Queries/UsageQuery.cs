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
}
