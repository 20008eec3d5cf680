namespace ApiKeys.Pool;

/// <summary>When daily quotas reset: midnight in a time zone (Gemini's is America/Los_Angeles).</summary>
public static class DailyQuota
{
    private static readonly Lock CacheGate = new();
    private static (string Id, TimeZoneInfo? Zone) _cache;

    /// <summary>The next midnight after <paramref name="now"/> in <paramref name="timeZoneId"/>.</summary>
    /// <remarks>Without the time zone database, Pacific time is computed from the US rules (UTC-8, UTC-7 from the second Sunday of March to the first Sunday of November).</remarks>
    public static DateTimeOffset NextReset(DateTimeOffset now, string timeZoneId = "America/Los_Angeles")
    {
        var zone = Find(timeZoneId);
        if (zone is not null)
        {
            var local = TimeZoneInfo.ConvertTime(now, zone);
            var midnight = local.Date.AddDays(1);
            return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
        }

        return NextPacificMidnight(now);
    }

    internal static DateTimeOffset NextPacificMidnight(DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        var local = utc + PacificOffset(utc);
        var midnight = local.Date.AddDays(1);
        var offset = PacificOffset(midnight - TimeSpan.FromHours(8));
        return new DateTimeOffset(midnight, offset);
    }

    private static TimeSpan PacificOffset(DateTime utc)
    {
        int y = utc.Year;
        var dstStart = NthSunday(y, 3, 2).AddHours(2 + 8);   // 02:00 PST = 10:00 UTC
        var dstEnd = NthSunday(y, 11, 1).AddHours(2 + 7);    // 02:00 PDT = 09:00 UTC
        return utc >= dstStart && utc < dstEnd ? TimeSpan.FromHours(-7) : TimeSpan.FromHours(-8);
    }

    private static DateTime NthSunday(int year, int month, int n)
    {
        var first = new DateTime(year, month, 1, 0, 0, 0, DateTimeKind.Utc);
        int delta = ((int)DayOfWeek.Sunday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(delta + (7 * (n - 1)));
    }

    private static TimeZoneInfo? Find(string id)
    {
        lock (CacheGate)
        {
            if (_cache.Id == id)
            {
                return _cache.Zone;
            }

            TimeZoneInfo? zone;
            try
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                zone = null;
            }

            _cache = (id, zone);
            return zone;
        }
    }
}
