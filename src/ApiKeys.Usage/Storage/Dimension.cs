namespace ApiKeys.Usage.Storage;

/// <summary>The <c>dimension</c> column of <c>running</c>, <c>log_blocks</c> and <c>anomalies</c>: which dimension a value is of (stored: never renumber).</summary>
internal enum Dimension
{
    /// <summary>Everything (value 0): the totals.</summary>
    All = 0,

    /// <summary>A key id (a <c>names</c> id).</summary>
    Key = 1,

    /// <summary>A model (a <c>names</c> id).</summary>
    Model = 2,

    /// <summary>A client token's name (a <c>names</c> id).</summary>
    Token = 3,

    /// <summary>An outcome (a <c>names</c> id).</summary>
    Outcome = 4,

    /// <summary>An HTTP status (the status itself).</summary>
    Status = 5,
}
