using System.Diagnostics.Metrics;

namespace ApiKeys.Usage.Diagnostics;

/// <summary>The <c>ApiKeys.Usage</c> meter: rows written and dropped, anomalies flagged.</summary>
public static class UsageMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "ApiKeys.Usage";

    private static readonly Meter Meter = new(MeterName, "1.0");
    private static readonly Counter<long> WrittenCounter = Meter.CreateCounter<long>("apikeys.usage.written", "{request}", "Requests written to the usage statistics.");
    private static readonly Counter<long> DroppedCounter = Meter.CreateCounter<long>("apikeys.usage.dropped", "{request}", "Requests not accounted: the database was unavailable or the queue full.");
    private static readonly Counter<long> AnomalyCounter = Meter.CreateCounter<long>("apikeys.usage.anomalies", "{anomaly}", "Tokens or keys whose hourly requests jumped far above their baseline.");

    internal static void Written(long count) => WrittenCounter.Add(count);

    internal static void Dropped(long count, string reason) => DroppedCounter.Add(count, new KeyValuePair<string, object?>("reason", reason));

    internal static void Anomaly(string dimension, string name) =>
        AnomalyCounter.Add(1, new KeyValuePair<string, object?>("dimension", dimension), new KeyValuePair<string, object?>("name", name));
}
