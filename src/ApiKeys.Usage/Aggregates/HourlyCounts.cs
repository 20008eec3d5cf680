using ApiKeys.Http.Usage;

namespace ApiKeys.Usage.Aggregates;

/// <summary>
/// The counters of one hourly aggregate: requests, successes, failures, retries, tokens in / out / cached / thinking, the
/// latency sum and histogram, and the time to first byte's sum and count. Not thread-safe.
/// </summary>
public sealed class HourlyCounts
{
    /// <summary>The counters' names, in storage order (SQLite columns, Redis hash fields).</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "requests", "successes", "failures", "retries", "tokens_in", "tokens_out", "tokens_cached", "tokens_thinking",
        "latency_ms", "ttfb_ms", "ttfb_count", .. Enumerable.Range(0, LatencyBuckets.Count).Select(i => "b" + i),
    ];

    private readonly long[] _values = new long[11 + LatencyBuckets.Count];

    /// <summary>Requests.</summary>
    public long Requests => _values[0];

    /// <summary>Successes.</summary>
    public long Successes => _values[1];

    /// <summary>Failures (upstream failures and no key available).</summary>
    public long Failures => _values[2];

    /// <summary>Retries (attempts after the first).</summary>
    public long Retries => _values[3];

    /// <summary>Input tokens.</summary>
    public long InputTokens => _values[4];

    /// <summary>Output tokens.</summary>
    public long OutputTokens => _values[5];

    /// <summary>Cached input tokens.</summary>
    public long CachedTokens => _values[6];

    /// <summary>Thinking tokens.</summary>
    public long ThinkingTokens => _values[7];

    /// <summary>The sum of latencies, in milliseconds.</summary>
    public long LatencyMsSum => _values[8];

    /// <summary>The sum of times to first byte, in milliseconds.</summary>
    public long TtfbMsSum => _values[9];

    /// <summary>Requests with a time to first byte.</summary>
    public long TtfbCount => _values[10];

    /// <summary>The latency histogram (<see cref="LatencyBuckets"/>).</summary>
    public IReadOnlyList<long> Buckets => new ArraySegment<long>(_values, 11, LatencyBuckets.Count);

    /// <summary>Every counter, in <see cref="Names"/>' order.</summary>
    public ReadOnlySpan<long> Values => _values;

    /// <summary>Adds one request.</summary>
    public void Add(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _values[0]++;
        _values[1] += record.IsSuccess ? 1 : 0;
        _values[2] += record.IsFailure ? 1 : 0;
        _values[3] += record.Retries;
        _values[4] += record.InputTokens ?? 0;
        _values[5] += record.OutputTokens ?? 0;
        _values[6] += record.CachedTokens ?? 0;
        _values[7] += record.ThinkingTokens ?? 0;
        double latency = record.Latency.TotalMilliseconds;
        _values[8] += (long)Math.Round(latency);
        if (record.TimeToFirstByte is { } ttfb)
        {
            _values[9] += (long)Math.Round(ttfb.TotalMilliseconds);
            _values[10]++;
        }

        _values[11 + LatencyBuckets.Of(latency)]++;
    }

    /// <summary>Adds another aggregate's counters.</summary>
    public void Add(HourlyCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (int i = 0; i < _values.Length; i++)
        {
            _values[i] += other._values[i];
        }
    }

    /// <summary>Sets the counter at <paramref name="index"/> (of <see cref="Names"/>), when reading a store.</summary>
    internal void Set(int index, long value) => _values[index] = value;

    /// <summary>Adds to the counter at <paramref name="index"/>.</summary>
    internal void Increment(int index, long value) => _values[index] += value;
}
