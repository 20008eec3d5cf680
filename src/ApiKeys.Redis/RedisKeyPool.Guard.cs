using System.Globalization;
using ApiKeys.Pool;
using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>
    /// The environment-fault guard, shared through Redis (<see cref="RedisScripts.Guard"/>): a failure that would take a key
    /// out is recorded there, and when at least half the usable keys (and at least
    /// <see cref="ApiKeyManagerOptions.EnvironmentFaultMinKeys"/>) failed alike within the window across projects, every
    /// process excuses that kind for the window and refuses leases until it ends. Null when the guard has no say (no failure,
    /// excused already, a strike that takes nothing out, the guard off); else whether to excuse, and the keys to excuse after the fact.
    /// </summary>
    private GuardVerdict? ThroughGuard(string id, KeyState before, KeyOutcome outcome, KeyTransition transition, DateTimeOffset now, string? replaces)
    {
        if (!_options.EnvironmentFaultGuard || outcome.Failure is not { } failure || outcome.IsExcused || !KeyStatePolicy.TakesOut(transition.Effect))
        {
            return null;
        }

        // What the key's state would be if this failure were excused: another process may have to put it back.
        var excused = KeyStatePolicy.Apply(before, KeyOutcome.Excused(failure, outcome.Model), now, _options, 0.5).State;
        string project = (_slotById.TryGetValue(id, out int slot) ? _keys[slot].Project : null) ?? before.LearnedProject ?? id;
        string kind = failure.Kind.ToString();
        string entry = string.Join('\n', Guid.NewGuid().ToString("N"), id, project,
            now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), RedisStateCodec.Serialize(id, excused));
        RedisValue[] args = [_names.KeyPrefix, kind, (long)_options.EnvironmentFaultWindow.TotalMilliseconds, _options.EnvironmentFaultMinKeys,
            entry, replaces ?? "", ClockArg()];
        // The entry names itself (a unique op), so a retry after a timeout records it once.
        var r = (RedisResult[])Eval(RedisScripts.Guard, [_names.Guard, _names.GuardLog(kind), _names.Ring], args, "guard", TimeoutRetries, length: 2)!;
        ObserveClock((long)r[1]);
        return (long)r[0] switch
        {
            0 => new GuardVerdict(false, failure.Kind, now, entry, []),
            1 => new GuardVerdict(true, failure.Kind, RedisStateCodec.Time((long)r[2]), entry, []),
            _ => new GuardVerdict(true, failure.Kind, RedisStateCodec.Time((long)r[2]), entry, [.. r.Skip(3).Select(e => (string)e!)]),
        };
    }

    /// <summary>
    /// The guard tripped: the failures it counted (in any process) are excused after the fact. Each key gets the state its
    /// failure would have left excused (strikes and escalation undone, a cooldown the server asked for kept), with its
    /// current totals, unless it changed since. Returns how many keys the guard counted.
    /// </summary>
    private int Excuse(GuardVerdict verdict, string reported)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal) { reported };
        foreach (var entry in verdict.Entries)
        {
            var parts = entry.Split('\n', 5);
            string id = parts[1];
            ids.Add(id);
            if (string.Equals(id, reported, StringComparison.Ordinal))
            {
                continue;
            }

            long at = long.Parse(parts[3], CultureInfo.InvariantCulture);
            var excused = RedisStateCodec.Parse(id, parts[4]);
            Change(id, (current, now) => current.UpdatedAt is not { } u || Math.Abs(u.ToUnixTimeMilliseconds() - at) > 1
                ? current
                : KeyStatePolicy.RestoreExcused(excused, current, now), leaseId: null);
        }

        return ids.Count;
    }

    /// <summary>
    /// The guard's answer: whether to excuse the failure; <paramref name="Entry"/>, this failure's entry in the guard's log;
    /// <paramref name="Entries"/>, when it just tripped, the failures to excuse after the fact.
    /// </summary>
    private sealed record GuardVerdict(bool Excuse, FailureKind Kind, DateTimeOffset Until, string Entry, IReadOnlyList<string> Entries);
}
