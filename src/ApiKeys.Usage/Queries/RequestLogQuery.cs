namespace ApiKeys.Usage.Queries;

/// <summary>A request log page's question: filters, and a cursor (keyset pagination: <see cref="Before"/> an id for older rows, <see cref="After"/> one to follow new ones).</summary>
public sealed record RequestLogQuery
{
    /// <summary>The most rows a page holds.</summary>
    public const int MaxLimit = 1000;

    /// <summary>Rows at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Rows before this time.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Only this client token's name.</summary>
    public string? Token { get; init; }

    /// <summary>Only this key id.</summary>
    public string? KeyId { get; init; }

    /// <summary>Only this model.</summary>
    public string? Model { get; init; }

    /// <summary>Only these statuses.</summary>
    public StatusFilter? Status { get; init; }

    /// <summary>Rows with a smaller id (the next, older page: <see cref="RequestLogPage.NextBefore"/>); null: from the newest.</summary>
    public long? Before { get; init; }

    /// <summary>Rows with a larger id, oldest first (following the log live: the last id seen); null: not following.</summary>
    public long? After { get; init; }

    /// <summary>The page's size.</summary>
    /// <value>The default is 50; at most <see cref="MaxLimit"/>.</value>
    public int Limit { get; init; } = 50;
}
