using System.Globalization;
using ApiKeys.Pool;
using ApiKeys.Storage;
using StackExchange.Redis;

namespace ApiKeys.Redis;

/// <summary>
/// A key's state as Redis keeps it: the states file's JSON for one key (<see cref="KeyStateCodec"/>: one format everywhere,
/// no secret in it), plus the fields the scripts read without parsing JSON: the key-wide cooldown end, whether the key is
/// disabled, and the per-model blocks.
/// </summary>
internal static class RedisStateCodec
{
    public static string Serialize(string id, KeyState state) => KeyStateCodec.Encode(id, state);

    public static KeyState Parse(string id, string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return KeyState.Empty;
        }

        try
        {
            return KeyStateCodec.Decode(id, json, $"redis state of {id}");
        }
        catch (KeyStoreException)
        {
            // A value no version of this library wrote: start the key afresh rather than fail every call.
            return KeyState.Empty;
        }
    }

    /// <summary>
    /// Whether a success on a key in <paramref name="state"/> only counts (<see cref="KeyStatePolicy.IsCounterOnlySuccess"/>
    /// whatever the time and model: no strike, no escalation, no model block): <see cref="RedisScripts.Success"/> then counts
    /// it in the key's hash (<c>s</c>, <c>lu</c>) without a new state.
    /// </summary>
    public static bool IsPlain(KeyState state) => state.Failures == 0 && state.CooldownLevel == 0 && state.Models.Count == 0;

    /// <summary>The state with the successes counted outside its json (<c>s</c>: how many, <c>lu</c>: the last one, unix ms).</summary>
    public static KeyState Fold(KeyState state, long successes, long lastUsedMs)
    {
        if (successes == 0 && lastUsedMs == 0)
        {
            return state;
        }

        var lastUsed = lastUsedMs > 0 ? Time(lastUsedMs) : (DateTimeOffset?)null;
        return state with
        {
            TotalSuccesses = state.TotalSuccesses + successes,
            LastUsed = lastUsed is { } lu && (state.LastUsed is not { } known || lu > known) ? lu : state.LastUsed,
        };
    }

    /// <summary>The key-wide cooldown end in unix ms, or 0.</summary>
    public static long Until(KeyState state) => state.BlockedUntil is { } b ? b.ToUnixTimeMilliseconds() : 0;

    public static string Disabled(KeyState state) => state.IsDisabled ? "1" : "0";

    /// <summary>When the key's last cooldown for any model ends, in unix ms, or 0 (blocks until revalidation are no cooldown):
    /// a pick for no model prefers keys whose value is past.</summary>
    public static long ModelsUntil(KeyState state)
    {
        long latest = 0;
        foreach (var (_, block) in state.Models)
        {
            if (block.Until is { } u)
            {
                latest = Math.Max(latest, u.ToUnixTimeMilliseconds());
            }
        }

        return latest;
    }

    /// <summary>A model block's end in unix ms, or -1 for "until revalidated".</summary>
    public static string ModelUntil(ModelBlock block) =>
        block.Until is { } u ? u.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) : "-1";

    public static DateTimeOffset Time(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    /// <summary>The arguments of <see cref="RedisScripts.Write"/>.</summary>
    public static RedisValue[] WriteArgs(string id, long expected, KeyState before, KeyState after, string? leaseMember, long? markerTtlMs, long folded,
        long clockMs)
    {
        var args = new List<RedisValue>(12 + (2 * after.Models.Count) + before.Models.Count)
        {
            id,
            expected < 0 ? "" : expected.ToString(CultureInfo.InvariantCulture),
            Serialize(id, after),
            Until(after),
            Disabled(after),
            leaseMember ?? "",
            markerTtlMs is { } ttl ? ttl : "",
            ModelsUntil(after),
            folded,
            IsPlain(after) ? "1" : "0",
        };

        var removed = before.Models.Keys.Where(m => !after.Models.ContainsKey(m)).ToList();
        args.Add(removed.Count);
        args.AddRange(removed.Select(m => (RedisValue)m));
        foreach (var (model, block) in after.Models)
        {
            args.Add(model);
            args.Add(ModelUntil(block));
        }

        args.Add(clockMs);
        return [.. args];
    }

    /// <summary>Appends one key's group of <see cref="RedisScripts.Register"/> arguments.</summary>
    public static void AddRegisterArgs(List<RedisValue> args, string id, KeyState state, string? project, bool held)
    {
        args.Add(id);
        args.Add(Serialize(id, state));
        args.Add(Until(state));
        args.Add(Disabled(state));
        args.Add(project ?? "");
        args.Add(held ? "1" : "0");
        args.Add(ModelsUntil(state));
        args.Add(state.Models.Count);
        foreach (var (model, block) in state.Models)
        {
            args.Add(model);
            args.Add(ModelUntil(block));
        }
    }
}
