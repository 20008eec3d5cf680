using System.Globalization;
using ApiKeys.Keys;
using ApiKeys.Pool;
using StackExchange.Redis;

namespace ApiKeys.Redis;

/// <summary>Reads keys' states from Redis and says for each whether it is usable now, and if not why and until when.</summary>
internal static class RedisStatusReader
{
    private const string Clock = "local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";
    private static readonly RedisValue[] Fields = ["json", "inflight", "project"];

    /// <summary>The statuses of <paramref name="local"/> keys, then (when <paramref name="includeOthers"/>) of every other id registered in the pool.</summary>
    public static async Task<IReadOnlyList<KeyStatus>> ReadAsync(IDatabase db, RedisPoolKeys names, IReadOnlyList<ApiKey> local, bool includeOthers,
        string? model, int? cap)
    {
        var ids = new List<(string Id, ApiKey? Key)>(local.Select(k => (k.Id, (ApiKey?)k)));
        if (includeOthers)
        {
            var known = new HashSet<string>(local.Select(k => k.Id), StringComparer.Ordinal);
            var registered = await db.SetMembersAsync(names.Ids).ConfigureAwait(false);
            ids.AddRange(registered.Select(v => (string)v!).Where(id => !known.Contains(id)).Order(StringComparer.Ordinal).Select(id => (id, (ApiKey?)null)));
        }

        var nowTask = db.ScriptEvaluateAsync(Clock);
        var reads = ids.Select(e => db.HashGetAsync(names.Key(e.Id), Fields)).ToList();
        var now = RedisStateCodec.Time((long)await nowTask.ConfigureAwait(false));
        var result = new List<KeyStatus>(ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            var values = await reads[i].ConfigureAwait(false);
            var (id, key) = ids[i];
            var state = RedisStateCodec.Parse(id, (string?)values[0]);
            int inflight = values[1].IsNull ? 0 : (int)values[1];
            string? project = key?.Project ?? (string?)values[2] ?? state.LearnedProject;
            result.Add(Build(id, key, project, state, inflight, i + 1, now, model, cap));
        }

        return result;
    }

    public static KeyStatus Build(string id, ApiKey? key, string? project, KeyState state, int inflight, int number, DateTimeOffset now, string? model, int? cap)
    {
        var availability = KeyAvailability.Available;
        DateTimeOffset? at = null;
        string? reason = null;
        var blocked = state.Models.Where(m => m.Value.IsActive(now)).ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        if (key?.Disabled == true)
        {
            availability = KeyAvailability.DisabledByHand;
            reason = "disabled by hand; enable it to use it again";
        }
        else if (state.DisabledKind is { } kind)
        {
            availability = KeyAvailability.Disabled;
            reason = $"{KeyStatePolicy.Describe(kind)}: {state.DisabledReason}; revalidate (apikeys check) or enable it";
        }
        else if (state.IsCooling(now))
        {
            availability = KeyAvailability.Cooling;
            at = state.BlockedUntil;
            reason = state.BlockKind switch
            {
                FailureKind.RateLimited => "rate limited",
                FailureKind.Billing => "billing: credit used up",
                _ => string.Create(CultureInfo.InvariantCulture, $"{state.Failures} consecutive failures"),
            } + $"; back in {ApiKeyManager.FormatSpan(at!.Value - now)}";
        }
        else if (model is not null && blocked.TryGetValue(model, out var block))
        {
            availability = KeyAvailability.ModelBlocked;
            at = block.Until;
            reason = block.Until is { } u
                ? $"model {model} rate limited; back in {ApiKeyManager.FormatSpan(u - now)}"
                : $"model {model} not available to this key until revalidated";
        }
        else if (cap is { } c && inflight >= c)
        {
            availability = KeyAvailability.Busy;
            reason = string.Create(CultureInfo.InvariantCulture, $"{inflight} leases in flight (the cap)");
        }

        return new KeyStatus
        {
            Id = id,
            Mask = key?.Mask ?? id,
            Label = key?.Label,
            Provider = key?.Provider ?? KeyProvider.Generic,
            Project = project,
            AddedAt = key?.AddedAt ?? DateTimeOffset.UnixEpoch,
            Number = number,
            State = state,
            Availability = availability,
            AvailableAt = at,
            Reason = reason,
            InFlight = inflight,
            BlockedModels = blocked,
        };
    }
}
