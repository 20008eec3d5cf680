using ApiKeys.Http.Usage;
using ApiKeys.Usage.Aggregates;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// One request log row waiting for the next write: what <see cref="SqliteUsageWriter"/> stores of a <see cref="UsageRecord"/>,
/// copied out of it as soon as the writer thread drains the queue (about every 100 ms). Rows wait in a list of these
/// values, not as the records themselves: a record kept for the seconds between two writes outlived the garbage
/// collector's youngest generation and was copied up with the rest, which cost the gateway more CPU than writing it.
/// </summary>
internal readonly record struct LogRow(
    long At, string KeyId, string TokenName, string Route, string Model, int Status, string Outcome, int Retries,
    long LatencyMs, long? TimeToFirstByteMs, long? InputTokens, long? OutputTokens, long? CachedTokens, long? ThinkingTokens)
{
    public static LogRow From(UsageRecord r) => new(
        r.Timestamp.ToUnixTimeSeconds(), HourlyKey.Clean(r.KeyId), HourlyKey.Clean(r.TokenName), HourlyKey.Clean(r.Route),
        HourlyKey.Clean(r.Model), r.Status, HourlyKey.Clean(r.Outcome), r.Retries, Milliseconds(r.Latency),
        r.TimeToFirstByte is { } t ? Milliseconds(t) : null, r.InputTokens, r.OutputTokens, r.CachedTokens, r.ThinkingTokens);

    private static long Milliseconds(TimeSpan span) => (long)Math.Round(span.TotalMilliseconds);
}
