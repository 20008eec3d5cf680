using ApiKeys.Keys;
using ApiKeys.Pool;
using StackExchange.Redis;

namespace ApiKeys.Redis;

/// <summary>Reads keys' states from Redis and says for each whether it is usable now, and if not why and until when.</summary>
internal static class RedisStatusReader
{
    private const string Clock = "local t = redis.call('TIME') return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)";
    private static readonly RedisValue[] Fields = ["json", "inflight", "project", "s", "lu"];

    /// <summary>The statuses of <paramref name="local"/> keys, then (when <paramref name="includeOthers"/>) of every other id registered in the pool.</summary>
    public static async Task<IReadOnlyList<KeyStatus>> ReadAsync(IDatabase db, RedisPoolKeys names, IReadOnlyList<ApiKey> local, bool includeOthers,
        string? model, int? cap, long clockMs = -1)
    {
        var ids = new List<(string Id, ApiKey? Key)>(local.Select(k => (k.Id, (ApiKey?)k)));
        if (includeOthers)
        {
            var known = new HashSet<string>(local.Select(k => k.Id), StringComparer.Ordinal);
            var registered = await db.SetMembersAsync(names.Ids).ConfigureAwait(false);
            ids.AddRange(registered.Select(v => (string)v!).Where(id => !known.Contains(id)).Order(StringComparer.Ordinal).Select(id => (id, (ApiKey?)null)));
        }

        // The pool's clock: Redis's TIME, or the pool's own clock when it runs on another TimeProvider (clockMs >= 0).
        var nowTask = clockMs >= 0 ? null : db.ScriptEvaluateAsync(Clock);
        var reads = ids.Select(e => db.HashGetAsync(names.Key(e.Id), Fields)).ToList();
        var now = RedisStateCodec.Time(nowTask is null ? clockMs : (long)await nowTask.ConfigureAwait(false));
        var result = new List<KeyStatus>(ids.Count);
        for (int i = 0; i < ids.Count; i++)
        {
            var values = await reads[i].ConfigureAwait(false);
            var (id, key) = ids[i];
            var state = RedisStateCodec.Fold(RedisStateCodec.Parse(id, (string?)values[0]), (long?)values[3] ?? 0, (long?)values[4] ?? 0);
            int inflight = values[1].IsNull ? 0 : (int)values[1];
            string? project = key?.Project ?? (string?)values[2] ?? state.LearnedProject;
            result.Add(KeyStatus.Create(id, key, project, state, inflight, i + 1, now, model, cap));
        }

        return result;
    }
}
