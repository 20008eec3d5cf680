using ApiKeys.Gateway.Forwarding;
using ApiKeys.Gateway.Metrics;
using ApiKeys.Http.Usage;
using ApiKeys.Pool;

namespace ApiKeys.Gateway.Usage;

/// <summary>
/// Accounts each request once it has ended: what the gateway knows (the token's name, the route, the status its client got,
/// how it ended, latency and first byte, the key's id and the attempts, the token counts read from the body as it passed),
/// into one <see cref="UsageRecord"/> for the store and the metrics. Nothing is parsed twice.
/// </summary>
internal sealed class UsageObserver(IUsageSink sink, GatewayMetrics metrics, TimeProvider time) : IForwardObserver
{
    public void OnCompleted(ForwardContext context)
    {
        var record = Build(context, time.GetUtcNow());
        metrics.Request(record);
        sink.Record(record);
    }

    internal static UsageRecord Build(ForwardContext context, DateTimeOffset now)
    {
        var failure = context.Outcome is GatewayOutcome.UpstreamTimeout or GatewayOutcome.UpstreamUnreachable or GatewayOutcome.StreamInterrupted
            ? context.Failure ?? FailureKind.Transport
            : context.Failure;
        return new UsageRecord
        {
            Timestamp = now - context.Latency,
            Route = context.Route.Name,
            TokenName = context.TokenName,
            Model = context.Model,
            KeyId = context.KeyId,
            Status = context.Status,
            Failure = failure,
            Outcome = Outcome(context.Outcome, context.Status, failure),
            Attempts = context.Attempts,
            Latency = context.Latency,
            TimeToFirstByte = context.TimeToFirstByte,
            InputTokens = context.InputTokens,
            OutputTokens = context.OutputTokens,
            CachedTokens = context.CachedTokens,
            ThinkingTokens = context.ThinkingTokens,
        };
    }

    private static string Outcome(GatewayOutcome outcome, int status, FailureKind? failure) => outcome switch
    {
        GatewayOutcome.Forwarded when failure is null && status is >= 200 and < 400 => UsageOutcomes.Success,
        GatewayOutcome.Forwarded or GatewayOutcome.UpstreamTimeout or GatewayOutcome.UpstreamUnreachable or GatewayOutcome.StreamInterrupted =>
            UsageOutcomes.Of(failure ?? FailureKind.Unknown),
        GatewayOutcome.NoKeyAvailable or GatewayOutcome.NoUsableKey => UsageOutcomes.NoKey,
        GatewayOutcome.ClientDisconnected => UsageOutcomes.Cancelled,
        GatewayOutcome.BackendUnavailable => nameof(GatewayOutcome.BackendUnavailable),
        _ => UsageOutcomes.Rejected,
    };
}
