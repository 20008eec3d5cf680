namespace ApiKeys.Usage.Queries;

/// <summary>A usage report: rows by group and time bucket, their total, and the anomalies flagged in the range.</summary>
public sealed record UsageReport
{
    /// <summary>The question.</summary>
    public required UsageQuery Query { get; init; }

    /// <summary>Where the numbers come from (the SQLite file, or Redis for a fleet).</summary>
    public required string Source { get; init; }

    /// <summary>The rows, by bucket then by requests (most first).</summary>
    public required IReadOnlyList<UsageRow> Rows { get; init; }

    /// <summary>Everything in the range.</summary>
    public required UsageRow Total { get; init; }

    /// <summary>Tokens and keys whose hourly requests jumped far above their baseline, in the range.</summary>
    public IReadOnlyList<UsageAnomaly> Anomalies { get; init; } = [];
}
