using ApiKeys.Gateway.Forwarding;

namespace ApiKeys.Gateway.Logging;

/// <summary>The access log: one line per request with the token's name, the model, the key's id, status, failure kind, retries and latency.</summary>
internal sealed class AccessLogObserver(ILogger<AccessLogObserver> logger) : IForwardObserver
{
    public void OnCompleted(ForwardContext context)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.Log(LogLevel.Information, AccessLogEntry.EventId, new AccessLogEntry(context), null, AccessLogEntry.Format);
        }
    }
}
