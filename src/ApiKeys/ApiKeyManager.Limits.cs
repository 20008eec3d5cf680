using ApiKeys.Pool;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    /// <summary>Counts a hand-out against the proactive limits; a key reaching one steps aside until its window ends.</summary>
    private void CountRequest_NeedsLock(KeySlot slot, string? model, DateTimeOffset now)
    {
        foreach (var limit in _options.RequestLimits)
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
                    window.DayEnd = DailyQuota.NextReset(now, _options.DailyQuotaTimeZone);
                    window.DayCount = 0;
                }

                if (++window.DayCount >= perDay && (until is null || window.DayEnd > until))
                {
                    until = window.DayEnd;
                }
            }

            if (until is { } u)
            {
                var before = slot.State;
                var after = KeyStatePolicy.ApplyProjectCooldown(before, limit.Model, u, FailureKind.RateLimited, now);
                if (!ReferenceEquals(before, after))
                {
                    SetState_NeedsLock(slot, after, before, now);
                    Notices_NeedsLock().AddKeyChanged(new KeyEventArgs(KeyEventKind.Cooling, slot.Key.Id, slot.Mask, now, FailureKind.RateLimited, u, limit.Model,
                        "request limit reached"));
                }
            }
        }
    }

    /// <summary>Requests handed out in the current minute and day, for one key and one limit.</summary>
    internal sealed class RequestWindow
    {
        public DateTimeOffset MinuteStart { get; set; } = DateTimeOffset.MinValue;

        public int MinuteCount { get; set; }

        public DateTimeOffset DayEnd { get; set; } = DateTimeOffset.MinValue;

        public int DayCount { get; set; }
    }
}
