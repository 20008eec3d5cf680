using ApiKeys.Usage.Queries;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>A time range of the usage pages: <c>24h</c> (per hour), <c>7d</c> (per hour) or <c>30d</c> (per day).</summary>
internal sealed record UsageRange(string Name, string Label, DateTimeOffset From, UsageInterval Interval)
{
    public static readonly string[] Names = ["24h", "7d", "30d"];

    public static UsageRange Of(string? name, DateTimeOffset now) => name switch
    {
        "7d" => new("7d", "last 7 days", now.AddDays(-7), UsageInterval.Hour),
        "30d" => new("30d", "last 30 days", now.AddDays(-30), UsageInterval.Day),
        _ => new("24h", "last 24 hours", now.AddHours(-23), UsageInterval.Hour),
    };

    /// <summary>The buckets' starts (unix seconds) from <see cref="From"/> to <paramref name="now"/>.</summary>
    public long[] Buckets(DateTimeOffset now)
    {
        long step = Interval == UsageInterval.Day ? 86400 : 3600;
        long first = From.ToUnixTimeSeconds() / step * step;
        long last = now.ToUnixTimeSeconds() / step * step;
        return [.. Enumerable.Range(0, (int)((last - first) / step) + 1).Select(i => first + (i * step))];
    }
}
