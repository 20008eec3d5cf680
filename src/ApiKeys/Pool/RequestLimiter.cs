namespace ApiKeys.Pool;

/// <summary>
/// The proactive request limits (<see cref="ApiKeyManagerOptions.RequestLimits"/>): every hand-out is counted per key and
/// limit, and a key reaching one steps aside until its window ends, as if the server had said so.
/// </summary>
/// <remarks>Not thread-safe: the caller holds the pool's lock.</remarks>
internal sealed class RequestLimiter(ApiKeyManagerOptions options, KeyTransitions transitions)
{
    /// <summary>Whether any limit is set (else nothing is counted).</summary>
    public bool IsActive => options.RequestLimits.Count > 0;

    /// <summary>Counts a hand-out of <paramref name="slot"/> for <paramref name="model"/>; a limit reached cools the key for its window.</summary>
    public void Count(KeySlot slot, string? model, DateTimeOffset now)
    {
        foreach (var limit in options.RequestLimits)
        {
            if (limit.Model is not null && !string.Equals(limit.Model, model, StringComparison.Ordinal))
            {
                continue;
            }

            slot.Limits ??= new(StringComparer.Ordinal);
            string name = limit.Model ?? "";
            if (!slot.Limits.TryGetValue(name, out var window))
            {
                window = new RequestWindow();
                slot.Limits[name] = window;
            }

            if (Reached(limit, window, now) is { } until)
            {
                transitions.LimitReached(slot, limit.Model, until, now);
            }
        }
    }

    /// <summary>Counts one request in <paramref name="window"/>; returns when the key may be used again if a limit is reached.</summary>
    private DateTimeOffset? Reached(RequestLimit limit, RequestWindow window, DateTimeOffset now)
    {
        DateTimeOffset? until = null;
        if (limit.PerMinute is { } perMinute)
        {
            if (now >= window.MinuteStart + TimeSpan.FromMinutes(1))
            {
                window.MinuteStart = now;
                window.MinuteCount = 0;
            }

            if (++window.MinuteCount >= perMinute)
            {
                until = window.MinuteStart + TimeSpan.FromMinutes(1);
            }
        }

        if (limit.PerDay is { } perDay)
        {
            if (now >= window.DayEnd)
            {
                window.DayEnd = DailyQuota.NextReset(now, options.DailyQuotaTimeZone);
                window.DayCount = 0;
            }

            if (++window.DayCount >= perDay && (until is null || window.DayEnd > until))
            {
                until = window.DayEnd;
            }
        }

        return until;
    }
}
