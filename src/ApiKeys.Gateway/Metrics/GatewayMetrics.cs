using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using ApiKeys.Gateway.Hosting;
using ApiKeys.Http.Usage;
using ApiKeys.Pool;

namespace ApiKeys.Gateway.Metrics;

/// <summary>
/// The <c>ApiKeys.Gateway</c> meter: requests by route, model, status and kind; tokens by model, client token and type;
/// retries; request duration and time to first byte (histograms); cooldowns and disables by reason; keys by state and the
/// seconds until the next key is free per model (gauges, read from the pool when scraped, so they hold for a Redis pool too).
/// Models are labels only for the first <see cref="MaxModels"/> seen (then <c>other</c>): a client can name any model.
/// </summary>
internal sealed class GatewayMetrics : IDisposable
{
    public const string MeterName = "ApiKeys.Gateway";
    public const int MaxModels = 64;

    private static readonly string[] States = ["available", "cooling", "disabled", "busy"];
    private static readonly double[] SecondsBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private static readonly object[] BoxedStatuses = [.. Enumerable.Range(100, 500).Select(s => (object)s)];

    private readonly Meter _meter = new(MeterName, "1.0");
    private readonly ConcurrentDictionary<string, byte> _models = new(StringComparer.Ordinal);
    private readonly LocalCounts<RequestLabels, Count> _requests = new();
    private readonly LocalCounts<TokenLabels, TokenCounts> _tokens = new();
    private readonly Counter<long> _retries;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _ttfb;
    private readonly Counter<long> _cooldowns;
    private readonly Counter<long> _disables;
    private readonly GatewayBackend _backend;
    private readonly TimeProvider _time;

    public GatewayMetrics(GatewayBackend backend, TimeProvider time)
    {
        _backend = backend;
        _time = time;
        _meter.CreateObservableCounter("apikeys.gateway.requests", ObserveRequests, "{request}", "Requests through the gateway, by route, model, status and kind (Success, a failure kind, NoKey, Rejected, Cancelled).");
        _meter.CreateObservableCounter("apikeys.gateway.tokens", ObserveTokens, "{token}", "Tokens the API counted, by model, client token and type (input, output, cached, thinking).");
        _retries = _meter.CreateCounter<long>("apikeys.gateway.retries", "{retry}", "Attempts after the first (each with another key), by route and model.");
        _duration = _meter.CreateHistogram("apikeys.gateway.request.duration", "s", "From the request's start until its response ended.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _ttfb = _meter.CreateHistogram("apikeys.gateway.time_to_first_byte", "s", "From the request's start until the first response byte went to the client.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _cooldowns = _meter.CreateCounter<long>("apikeys.gateway.cooldowns", "{cooldown}", "Keys (or key x model) that started cooling down, by reason (the failure kind).");
        _disables = _meter.CreateCounter<long>("apikeys.gateway.disables", "{disable}", "Keys (or key x model) disabled until revalidated, by reason (the failure kind).");
        _meter.CreateObservableGauge("apikeys.gateway.keys", ObserveKeys, "{key}", "Keys by state: available, cooling, disabled, busy.");
        _meter.CreateObservableGauge("apikeys.gateway.next_key_free", ObserveNextKey, "s", "Seconds until the next key is free, per model (0: one is free now; model=any: key-wide).");
    }

    /// <summary>A request ended.</summary>
    public void Request(UsageRecord record)
    {
        string model = Model(record.Model);
        string route = record.Route ?? "";
        Interlocked.Increment(ref _requests.For(new RequestLabels(route, model, record.Status, record.Outcome)).Value);
        if (record.Retries > 0)
        {
            _retries.Add(record.Retries, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("model", model));
        }

        _duration.Record(record.Latency.TotalSeconds, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("model", model));
        if (record.TimeToFirstByte is { } ttfb)
        {
            _ttfb.Record(ttfb.TotalSeconds, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("model", model));
        }

        if (record.InputTokens is > 0 || record.OutputTokens is > 0 || record.CachedTokens is > 0 || record.ThinkingTokens is > 0)
        {
            var tokens = _tokens.For(new TokenLabels(model, record.TokenName ?? ""));
            Add(ref tokens.Input, record.InputTokens);
            Add(ref tokens.Output, record.OutputTokens);
            Add(ref tokens.Cached, record.CachedTokens);
            Add(ref tokens.Thinking, record.ThinkingTokens);
        }
    }

    /// <summary>A key changed (the pool's event).</summary>
    public void KeyChanged(KeyEventArgs change)
    {
        var reason = new KeyValuePair<string, object?>("reason", change.Failure?.ToString() ?? "manual");
        if (change.Kind == KeyEventKind.Cooling)
        {
            _cooldowns.Add(1, reason);
        }
        else if (change.Kind == KeyEventKind.Disabled)
        {
            _disables.Add(1, reason);
        }
    }

    public void Dispose() => _meter.Dispose();

    private static void Add(ref long total, long? count)
    {
        if (count is > 0)
        {
            Interlocked.Add(ref total, count.Value);
        }
    }

    private IEnumerable<Measurement<long>> ObserveRequests() =>
        [.. _requests.All.Select(p => new Measurement<long>(Volatile.Read(ref p.Value.Value), new KeyValuePair<string, object?>("route", p.Key.Route),
            new KeyValuePair<string, object?>("model", p.Key.Model), new KeyValuePair<string, object?>("status", Status(p.Key.Status)),
            new KeyValuePair<string, object?>("kind", p.Key.Kind)))];

    private IEnumerable<Measurement<long>> ObserveTokens()
    {
        var result = new List<Measurement<long>>();
        foreach (var (key, counts) in _tokens.All)
        {
            Observe(result, key, "input", Volatile.Read(ref counts.Input));
            Observe(result, key, "output", Volatile.Read(ref counts.Output));
            Observe(result, key, "cached", Volatile.Read(ref counts.Cached));
            Observe(result, key, "thinking", Volatile.Read(ref counts.Thinking));
        }

        return result;
    }

    private static void Observe(List<Measurement<long>> result, TokenLabels key, string type, long count)
    {
        // A type never counted for these labels has no series, as with a counter that was never added to.
        if (count > 0)
        {
            result.Add(new Measurement<long>(count, new KeyValuePair<string, object?>("model", key.Model), new KeyValuePair<string, object?>("token", key.Token),
                new KeyValuePair<string, object?>("type", type)));
        }
    }

    /// <summary>The status as a tag value, boxed once per status code, not once per request.</summary>
    private static object Status(int status) => status is >= 100 and < 600 ? BoxedStatuses[status - 100] : status;

    private string Model(string? model)
    {
        if (string.IsNullOrEmpty(model))
        {
            return "";
        }

        if (_models.ContainsKey(model) || (_models.Count < MaxModels && _models.TryAdd(model, 0)))
        {
            return model;
        }

        return "other";
    }

    private IEnumerable<Measurement<int>> ObserveKeys()
    {
        IReadOnlyList<KeyStatus> statuses;
        try
        {
            statuses = _backend.Pool.GetStatuses();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Redis unreachable: no measurement (readyz says why).
            return [];
        }

        var counts = new int[States.Length];
        foreach (var status in statuses)
        {
            counts[status.Availability switch
            {
                KeyAvailability.Available or KeyAvailability.ModelBlocked => 0,
                KeyAvailability.Cooling => 1,
                KeyAvailability.Busy => 3,
                _ => 2,
            }]++;
        }

        return [.. States.Select((s, i) => new Measurement<int>(counts[i], new KeyValuePair<string, object?>("state", s)))];
    }

    private IEnumerable<Measurement<double>> ObserveNextKey()
    {
        var result = new List<Measurement<double>>();
        var now = _time.GetUtcNow();
        foreach (var model in _models.Keys.Where(m => m != "other").Prepend(null))
        {
            IReadOnlyList<KeyStatus> statuses;
            try
            {
                statuses = _backend.Pool.GetStatuses(model);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                return result;
            }

            double? seconds = statuses.Any(s => s.Availability == KeyAvailability.Available)
                ? 0
                : statuses.Where(s => s.AvailableAt is not null).Select(s => (double?)Math.Max(0, (s.AvailableAt!.Value - now).TotalSeconds)).Min();
            if (seconds is { } value)
            {
                result.Add(new Measurement<double>(value, new KeyValuePair<string, object?>("model", model ?? "any")));
            }
        }

        return result;
    }
}
