using System.Globalization;
using ApiKeys.Usage.Aggregates;
using StackExchange.Redis;

namespace ApiKeys.Usage;

/// <summary>
/// The hourly aggregates of a fleet in Redis: one hash per hour, <c>apikeys:{pool}:usage:HOUR</c> (the pool's hash tag, so
/// one cluster slot), a field per dimensions and counter, added to with <c>HINCRBY</c> in one script per write (atomic: a
/// batch counts whole or not at all), each hour expiring after the retention. Every gateway on the pool adds to the same
/// counters, so the fleet's sums are exact. Holds ids and names only.
/// </summary>
public sealed class RedisUsageAggregates : IHourlyAggregates
{
    private const char Separator = '\u001f';

    // ARGV[1]: TTL in seconds; then for each hash: its field count n, then n field / increment pairs.
    private const string AddScript = """
        local argi = 2
        for k = 1, #KEYS do
          local n = tonumber(ARGV[argi]); argi = argi + 1
          for f = 1, n do
            redis.call('HINCRBY', KEYS[k], ARGV[argi], ARGV[argi + 1]); argi = argi + 2
          end
          redis.call('EXPIRE', KEYS[k], ARGV[1])
        end
        return #KEYS
        """;

    private readonly IConnectionMultiplexer _redis;
    private readonly string _root;
    private readonly TimeSpan _retention;

    /// <summary>The aggregates of the Redis pool <paramref name="pool"/>.</summary>
    /// <param name="redis">The connection (not disposed here).</param>
    /// <param name="pool">The pool's name (gateways with the same name add up together).</param>
    /// <param name="retention">How long each hour is kept (its TTL).</param>
    public RedisUsageAggregates(IConnectionMultiplexer redis, string pool, TimeSpan? retention = null)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentException.ThrowIfNullOrWhiteSpace(pool);
        _redis = redis;
        Pool = pool;
        _root = $"apikeys:{{{pool}}}:usage:";
        _retention = retention ?? TimeSpan.FromDays(90);
    }

    /// <summary>The pool's name.</summary>
    public string Pool { get; }

    /// <inheritdoc />
    public string Description => $"Redis pool '{Pool}'";

    /// <summary>The Redis key of an hour's hash.</summary>
    public string HourKey(long hour) => _root + hour.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public void Add(IReadOnlyDictionary<HourlyKey, HourlyCounts> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        var keys = new List<RedisKey>();
        var args = new List<RedisValue> { (long)_retention.TotalSeconds };
        foreach (var hour in batch.GroupBy(b => b.Key.Hour))
        {
            keys.Add(HourKey(hour.Key));
            int countAt = args.Count;
            args.Add(0);
            int fields = 0;
            foreach (var (key, counts) in hour)
            {
                string group = string.Join(Separator, key.KeyId, key.Model, key.Token, key.Outcome);
                var values = counts.Values;
                for (int i = 0; i < values.Length; i++)
                {
                    if (values[i] != 0)
                    {
                        args.Add(group + Separator + HourlyCounts.Names[i]);
                        args.Add(values[i]);
                        fields++;
                    }
                }
            }

            args[countAt] = fields;
        }

        _redis.GetDatabase().ScriptEvaluate(AddScript, [.. keys], [.. args]);
    }

    /// <inheritdoc />
    public IReadOnlyList<KeyValuePair<HourlyKey, HourlyCounts>> Read(long fromHour, long toHour)
    {
        var db = _redis.GetDatabase();
        var hours = new List<(long Hour, Task<HashEntry[]> Entries)>();
        var batch = db.CreateBatch();
        for (long h = fromHour; h <= toHour; h++)
        {
            hours.Add((h, batch.HashGetAllAsync(HourKey(h))));
        }

        batch.Execute();
        var index = HourlyCounts.Names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        var result = new Dictionary<HourlyKey, HourlyCounts>();
        foreach (var (hour, pending) in hours)
        {
            foreach (var entry in pending.GetAwaiter().GetResult())
            {
                string[] parts = entry.Name.ToString().Split(Separator);
                if (parts.Length != 5 || !index.TryGetValue(parts[4], out int counter))
                {
                    continue;
                }

                var key = new HourlyKey(hour, parts[0], parts[1], parts[2], parts[3]);
                if (!result.TryGetValue(key, out var counts))
                {
                    result[key] = counts = new HourlyCounts();
                }

                counts.Increment(counter, (long)entry.Value);
            }
        }

        return [.. result];
    }
}
