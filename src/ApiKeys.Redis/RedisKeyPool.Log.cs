using Microsoft.Extensions.Logging;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>The pool's log messages: keys by mask or id, never a secret.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "KeyBlocked", Level = LogLevel.Warning, Message = "Key {KeyMask} blocked until {Until:u} for {Model} after {Reason} (every process)")]
        public static partial void KeyBlocked(ILogger logger, string keyMask, DateTimeOffset until, string model, string reason);

        [LoggerMessage(EventId = 2, EventName = "KeyRestored", Level = LogLevel.Information, Message = "Key {KeyMask} is available again ({Why})")]
        public static partial void KeyRestored(ILogger logger, string keyMask, string why);

        [LoggerMessage(EventId = 3, EventName = "KeyDisabled", Level = LogLevel.Warning, Message = "Key {KeyMask} disabled for {Model}: {Reason} (every process)")]
        public static partial void KeyDisabled(ILogger logger, string keyMask, string model, string reason);

        [LoggerMessage(EventId = 20, EventName = "RedisUnavailable", Level = LogLevel.Warning, Message = "Redis is unavailable for key pool {Pool} ({What}): {Error}")]
        public static partial void RedisUnavailable(ILogger logger, string pool, string what, string error);

        [LoggerMessage(EventId = 21, EventName = "ReportLost", Level = LogLevel.Warning, Message = "The report of lease {LeaseId} of key {KeyId} did not reach Redis ({Error}); the lease stops counting after the lease timeout")]
        public static partial void ReportLost(ILogger logger, string keyId, long leaseId, string error);

        [LoggerMessage(EventId = 22, EventName = "PoolReregistered", Level = LogLevel.Warning, Message = "Key pool {Pool} was missing from Redis (restart, failover or flush): registering its keys again")]
        public static partial void Reregistering(ILogger logger, string pool);

        [LoggerMessage(EventId = 23, EventName = "PoolRegistered", Level = LogLevel.Debug, Message = "Key pool {Pool}: {Count} keys registered in Redis")]
        public static partial void Registered(ILogger logger, string pool, int count);

        [LoggerMessage(EventId = 24, EventName = "FallingBackToLocal", Level = LogLevel.Warning, Message = "Redis is unreachable: key pool {Pool} serves from this process's local state until it is back")]
        public static partial void FallingBack(ILogger logger, string pool);

        [LoggerMessage(EventId = 26, EventName = "HandlerFailed", Level = LogLevel.Error, Message = "An event handler of the key pool threw: {Message}")]
        public static partial void HandlerFailed(ILogger logger, string message);

        [LoggerMessage(EventId = 25, EventName = "Reconciled", Level = LogLevel.Information, Message = "Key pool {Pool}: merged local state of {Count} keys into Redis")]
        public static partial void Reconciled(ILogger logger, string pool, int count);
    }
}
