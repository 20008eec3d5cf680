using ApiKeys.Gateway.Forwarding;

namespace ApiKeys.Gateway.Logging;

/// <summary>The access log: one line per request with the token's name, the model, the key's id, status, failure kind, retries and latency.</summary>
internal sealed class AccessLogObserver(ILogger<AccessLogObserver> logger) : IForwardObserver
{
    public void OnCompleted(ForwardContext context)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        string outcome = context.Outcome.ToString();
        string failure = context.Failure?.ToString() ?? "-";
        double ttfb = context.TimeToFirstByte?.TotalMilliseconds ?? 0;
        GatewayLog.Access(logger, context.Method, context.Route.Name, context.Status, outcome, context.Latency.TotalMilliseconds, ttfb,
            context.TokenName ?? "-", context.Model ?? "-", context.KeyId ?? "-", failure, context.Retries, context.ResponseBytes);
    }
}
