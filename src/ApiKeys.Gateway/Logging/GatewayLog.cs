
namespace ApiKeys.Gateway.Logging;

/// <summary>Every log line of the gateway, with its fixed event id (3xxx; the handler's are 2xxx). Ids and masks, never a secret.</summary>
internal static partial class GatewayLog
{
    // 3001, Access: one line per request, written by AccessLogObserver as an AccessLogEntry (not through a template).

    [LoggerMessage(EventId = 3002, EventName = "Listening", Level = LogLevel.Information,
        Message = "apikeys gateway listening on {Addresses}; upstream {Upstream}; {Backend}")]
    public static partial void Listening(ILogger logger, string addresses, string upstream, string backend);

    [LoggerMessage(EventId = 3003, EventName = "StreamInterrupted", Level = LogLevel.Warning,
        Message = "The upstream's answer to {Route} stopped after {Bytes} bytes ({Reason}): the stream was ended there, without a retry")]
    public static partial void StreamInterrupted(ILogger logger, string route, long bytes, string reason);

    [LoggerMessage(EventId = 3004, EventName = "Draining", Level = LogLevel.Information,
        Message = "Stopping: waiting up to {Seconds} s for {Count} request(s) in flight")]
    public static partial void Draining(ILogger logger, double seconds, int count);

    [LoggerMessage(EventId = 3005, EventName = "Stopped", Level = LogLevel.Information,
        Message = "Stopped with {Count} request(s) still in flight; the key states are flushed")]
    public static partial void Stopped(ILogger logger, int count);

    [LoggerMessage(EventId = 3006, EventName = "FlushFailed", Level = LogLevel.Error,
        Message = "The key states could not be flushed at shutdown: {Message}")]
    public static partial void FlushFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 3007, EventName = "ObserverFailed", Level = LogLevel.Error,
        Message = "The request observer {Observer} failed: {Message}")]
    public static partial void ObserverFailed(ILogger logger, string observer, string message);

    [LoggerMessage(EventId = 3008, EventName = "NoClientTokens", Level = LogLevel.Warning,
        Message = "No client token exists yet: every request will be refused (401). Create one with: apikeys token create --name NAME")]
    public static partial void NoClientTokens(ILogger logger);

    [LoggerMessage(EventId = 3009, EventName = "ResourceOwnersNotSaved", Level = LogLevel.Warning,
        Message = "Which key owns a file or cached content could not be saved ({Message}); it is kept in memory and saved with the next change")]
    public static partial void ResourceOwnersNotSaved(ILogger logger, string message);

    [LoggerMessage(EventId = 3010, EventName = "ResourceOwnersUnreadable", Level = LogLevel.Error,
        Message = "The resource owners file cannot be read ({Message}); what was read before serves, and the file is not overwritten")]
    public static partial void ResourceOwnersUnreadable(ILogger logger, string message);
}
