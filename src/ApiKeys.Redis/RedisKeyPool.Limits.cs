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
    /// The acquire script's arguments for one or more picks: each with the request limits that apply to its model, which the
    /// script counts per key in the key's hash (every process counts in the same windows) when it hands the key out, and the
    /// successes it carries (counted before the first pick).
    /// </summary>
    private RedisValue[] AcquireArgs(IReadOnlyList<string?> models, SuccessBatch? carried)
    {
        int length = 6 + (carried?.Count ?? 0);
        foreach (var model in models)
        {
            length += 2 + (4 * LimitsFor(model).Length);
        }

        var args = new RedisValue[length];
        args[0] = _names.KeyPrefix;
        args[1] = _options.MaxLeasesPerKey ?? 0;
        args[2] = (long)_redisOptions.LeaseTimeout.TotalMilliseconds;
        args[3] = models.Count;
        int at = 4;
        foreach (var model in models)
        {
            var limits = LimitsFor(model);
            args[at++] = model ?? "";
            args[at++] = limits.Length;
            foreach (var limit in limits)
            {
                args[at++] = limit.Model ?? "";
                args[at++] = limit.PerMinute ?? 0;
                args[at++] = limit.PerDay ?? 0;
                args[at++] = limit.PerDay is null ? 0 : NextDayMs();
            }
        }

        args[at] = carried?.Count ?? 0;
        carried?.AddMembers(args, at + 1);
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
