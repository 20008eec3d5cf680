namespace ApiKeys.Pool;

/// <summary>
/// A proactive limit per key x model: once a key has been handed out this many times in the window, it steps aside for
/// that model until the window ends, so a request that would surely get a 429 goes to another key instead.
/// </summary>
public sealed class RequestLimit
{
    /// <summary>The model the limit applies to; null: every model (and calls without a model).</summary>
    public string? Model { get; set; }

    /// <summary>Requests per minute per key; null: no per-minute limit.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int? PerMinute { get; set; }

    /// <summary>Requests per day per key (the day ends at midnight in <see cref="ApiKeyManagerOptions.DailyQuotaTimeZone"/>); null: no daily limit.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, int.MaxValue)]
    public int? PerDay { get; set; }
}
