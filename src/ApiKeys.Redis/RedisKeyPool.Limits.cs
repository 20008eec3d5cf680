using System.Collections.Concurrent;
using ApiKeys.Pool;
using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    // The request limits that apply to a model ("" for calls without one), in the order of the options.
    private readonly ConcurrentDictionary<string, RequestLimit[]> _limitsByModel = new(StringComparer.Ordinal);
    // The start of the next day in the daily quota's time zone (unix ms), computed again once passed.
    private long _nextDayMs;

    /// <summary>
    /// The acquire script's arguments: with the request limits that apply to <paramref name="model"/>, which the script
    /// counts per key in the key's hash (every process counts in the same windows) when it hands the key out, and the
    /// successes it carries (counted before its pick).
    /// </summary>
    private RedisValue[] AcquireArgs(string? model, SuccessBatch? carried)
    {
        var limits = LimitsFor(model);
        int successes = 5 + (4 * limits.Length);
        var args = new RedisValue[7 + (4 * limits.Length) + (carried?.Count ?? 0)];
        args[0] = _names.KeyPrefix;
        args[1] = model ?? "";
        args[2] = _options.MaxLeasesPerKey ?? 0;
        args[3] = (long)_redisOptions.LeaseTimeout.TotalMilliseconds;
        args[4] = limits.Length;
        for (int i = 0; i < limits.Length; i++)
        {
            args[5 + (4 * i)] = limits[i].Model ?? "";
            args[6 + (4 * i)] = limits[i].PerMinute ?? 0;
            args[7 + (4 * i)] = limits[i].PerDay ?? 0;
            args[8 + (4 * i)] = limits[i].PerDay is null ? 0 : NextDayMs();
        }

        args[successes] = carried?.Count ?? 0;
        carried?.AddMembers(args, successes + 1);
        args[^1] = ClockArg();
        return args;
    }

    private RequestLimit[] LimitsFor(string? model) =>
        _options.RequestLimits.Count == 0 ? [] : _limitsByModel.GetOrAdd(model ?? "", m => [.. _options.RequestLimits
            .Where(l => l.Model is null || (model is not null && string.Equals(l.Model, m, StringComparison.Ordinal)))]);

    private long NextDayMs()
    {
        long next = Volatile.Read(ref _nextDayMs);
        var now = RedisNow();
        if (now.ToUnixTimeMilliseconds() >= next)
        {
            next = DailyQuota.NextReset(now, _options.DailyQuotaTimeZone).ToUnixTimeMilliseconds();
            Volatile.Write(ref _nextDayMs, next);
        }

        return next;
    }

    /// <summary>
    /// The lease just taken reached request limits (the acquire script's answer lists them, and has already set the key
    /// aside in Redis): each cools the key (or key x model) until its window ends, written into the key's state and announced
    /// as the local pool does.
    /// </summary>
    private void LimitsReached(string id, string? model, RedisResult[] answer, int end)
    {
        var limits = LimitsFor(model);
        var notices = new KeyNotices();
        for (int i = 4; i + 1 < end; i += 2)
        {
            var limit = limits[(int)answer[i] - 1];
            var until = RedisStateCodec.Time((long)answer[i + 1]);
            bool changed = false;
            DateTimeOffset at = default;
            Change(id, (state, now) =>
            {
                var after = KeyStatePolicy.ApplyProjectCooldown(state, limit.Model, until, FailureKind.RateLimited, now);
                (changed, at) = (!ReferenceEquals(after, state), now);
                return after;
            }, leaseId: null);
            if (changed)
            {
                notices.AddKeyChanged(new KeyEventArgs(KeyEventKind.Cooling, id, MaskOf(id), at, FailureKind.RateLimited, until, limit.Model,
                    "request limit reached"));
            }
        }

        _notifier.Publish(notices);
    }
}
