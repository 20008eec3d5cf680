using System.Globalization;
using ApiKeys.Gateway.Admin.Markup;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>How the pages show times, spans and numbers (UTC, invariant culture).</summary>
internal static class Format
{
    public static Html Time(DateTimeOffset? at) => at is { } t
        ? Html.Of($"<time datetime=\"{t.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}\">{t.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z</time>")
        : Html.Of($"<span class=\"muted\">never</span>");

    /// <summary>"until 17:40:00Z (in 5 min)".</summary>
    public static Html Until(DateTimeOffset? until, DateTimeOffset now) => until is { } u
        ? Html.Of($"until {Time(u)} (in {ApiKeyManager.FormatSpan(u - now)})")
        : Html.Of($"until revalidated or enabled");

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Percent(double ratio) => ratio.ToString("0.0 %", CultureInfo.InvariantCulture);

    public static string Ms(double? value) => value is { } v ? v.ToString("0", CultureInfo.InvariantCulture) + " ms" : "-";

    /// <summary>The start of today in the Pacific time zone (Gemini's daily quotas reset there), which is a whole UTC hour.</summary>
    public static DateTimeOffset PacificMidnight(DateTimeOffset now, string timeZone)
    {
        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            zone = TimeZoneInfo.Utc;
        }

        var local = TimeZoneInfo.ConvertTime(now, zone);
        var midnight = new DateTime(local.Year, local.Month, local.Day, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }
}
