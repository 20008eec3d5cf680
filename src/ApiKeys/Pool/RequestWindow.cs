namespace ApiKeys.Pool;

/// <summary>Requests handed out in the current minute and day, for one key and one limit.</summary>
/// <remarks>Not thread-safe: the caller holds the pool's lock.</remarks>
internal sealed class RequestWindow
{
    public DateTimeOffset MinuteStart { get; set; } = DateTimeOffset.MinValue;

    public int MinuteCount { get; set; }

    public DateTimeOffset DayEnd { get; set; } = DateTimeOffset.MinValue;

    public int DayCount { get; set; }
}
