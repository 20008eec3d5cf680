namespace ApiKeys.Usage.Queries;

/// <summary>What a usage report's rows are grouped by.</summary>
public enum UsageGrouping
{
    /// <summary>One group: everything.</summary>
    None = 0,

    /// <summary>By key id.</summary>
    Key,

    /// <summary>By model.</summary>
    Model,

    /// <summary>By client token's name.</summary>
    Token,

    /// <summary>By outcome (success, or a failure kind: "failures over time by kind").</summary>
    Outcome,
}
