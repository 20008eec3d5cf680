using System.Diagnostics.Metrics;
using ApiKeys.Pool;

namespace ApiKeys.Diagnostics;

/// <summary>
/// The <c>ApiKeys</c> meter, the same from every backend: acquisitions, outcomes by kind, keys by state, leases in flight.
/// OpenTelemetry and dotnet-counters see it without extra code.
/// </summary>
/// <remarks>Pools record through <see cref="KeyPoolNotifier"/>; leases count themselves.</remarks>
public static class ApiKeysMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ApiKeys";

    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly Counter<long> Acquisitions = Meter.CreateCounter<long>("apikeys.acquisitions", "{acquisition}", "Keys handed out (result=ok) and requests that found none (result=none).");
    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>("apikeys.outcomes", "{outcome}", "Outcomes reported, by kind (success or a failure kind).");
    private static readonly UpDownCounter<long> Leases = Meter.CreateUpDownCounter<long>("apikeys.leases.active", "{lease}", "Leases handed out and not yet reported or released (in flight).");
    private static readonly Lock Gate = new();
    private static readonly List<WeakReference<KeyPoolNotifier>> Pools = [];
    private static readonly KeyValuePair<string, object?> Ok = new("result", "ok");
    private static readonly KeyValuePair<string, object?> None = new("result", "none");
    private static readonly KeyValuePair<string, object?>[] KindTags =
        [.. Enum.GetValues<FailureKind>().Select(k => new KeyValuePair<string, object?>("kind", k.ToString()))];

    private static readonly KeyValuePair<string, object?> SuccessTag = new("kind", "success");

    static ApiKeysMetrics()
    {
        Meter.CreateObservableGauge("apikeys.keys", ObserveKeys, "{key}", "Keys by state (available, cooling, disabled, busy).");
    }

    internal static void Acquired(bool ok)
    {
        if (Acquisitions.Enabled)
        {
            Acquisitions.Add(1, ok ? Ok : None);
        }
    }

    internal static void Outcome(KeyOutcome outcome)
    {
        if (Outcomes.Enabled)
        {
            Outcomes.Add(1, outcome.Failure is { } f ? KindTags[(int)f.Kind] : SuccessTag);
        }
    }

    internal static void LeaseStarted()
    {
        if (Leases.Enabled)
        {
            Leases.Add(1);
        }
    }

    internal static void LeaseEnded()
    {
        if (Leases.Enabled)
        {
            Leases.Add(-1);
        }
    }

    /// <summary>Counts the keys of <paramref name="pool"/> in <c>apikeys.keys</c> until <see cref="Unregister"/> (weakly: a pool never disposed is dropped when collected).</summary>
    internal static void Register(KeyPoolNotifier pool)
    {
        lock (Gate)
        {
            Pools.RemoveAll(w => !w.TryGetTarget(out _));
            Pools.Add(new WeakReference<KeyPoolNotifier>(pool));
        }
    }

    internal static void Unregister(KeyPoolNotifier pool)
    {
        lock (Gate)
        {
            Pools.RemoveAll(w => !w.TryGetTarget(out var p) || ReferenceEquals(p, pool));
        }
    }

    private static IEnumerable<Measurement<int>> ObserveKeys()
    {
        List<KeyPoolNotifier> pools;
        lock (Gate)
        {
            pools = [.. Pools.Select(w => w.TryGetTarget(out var p) ? p : null).OfType<KeyPoolNotifier>()];
        }

        // A key is counted once, as the first pool registered sees it: two pools on one store, or a Redis pool and the
        // local pool it falls back on, hold the same keys.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var pool in pools)
        {
            foreach (var status in pool.ObservedStatuses())
            {
                if (!seen.Add(status.Id))
                {
                    continue;
                }

                string state = status.Availability switch
                {
                    KeyAvailability.Available or KeyAvailability.ModelBlocked => "available",
                    KeyAvailability.Cooling => "cooling",
                    KeyAvailability.Busy => "busy",
                    _ => "disabled",
                };
                counts[state] = counts.GetValueOrDefault(state) + 1;
            }
        }

        foreach (var (state, count) in counts)
        {
            yield return new Measurement<int>(count, new KeyValuePair<string, object?>("state", state));
        }
    }
}
