using System.Diagnostics.Metrics;
using ApiKeys.Pool;

namespace ApiKeys.Diagnostics;

/// <summary>The <c>ApiKeys</c> meter: acquisitions, outcomes by kind, keys by state. OpenTelemetry and dotnet-counters see it without extra code.</summary>
public static class ApiKeysMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ApiKeys";

    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly Counter<long> Acquisitions = Meter.CreateCounter<long>("apikeys.acquisitions", "{acquisition}", "Keys handed out (result=ok) and requests that found none (result=none).");
    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>("apikeys.outcomes", "{outcome}", "Outcomes reported, by kind (success or a failure kind).");
    private static readonly Lock Gate = new();
    private static readonly List<WeakReference<ApiKeyManager>> Managers = [];
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

    internal static void Register(ApiKeyManager manager)
    {
        lock (Gate)
        {
            Managers.RemoveAll(w => !w.TryGetTarget(out _));
            Managers.Add(new WeakReference<ApiKeyManager>(manager));
        }
    }

    internal static void Unregister(ApiKeyManager manager)
    {
        lock (Gate)
        {
            Managers.RemoveAll(w => !w.TryGetTarget(out var m) || ReferenceEquals(m, manager));
        }
    }

    private static IEnumerable<Measurement<int>> ObserveKeys()
    {
        List<ApiKeyManager> managers;
        lock (Gate)
        {
            managers = [.. Managers.Select(w => w.TryGetTarget(out var m) ? m : null).OfType<ApiKeyManager>()];
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var manager in managers)
        {
            foreach (var status in manager.GetStatuses())
            {
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
