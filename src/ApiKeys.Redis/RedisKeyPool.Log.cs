using ApiKeys.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>The pool's log messages: keys by mask or id, never a secret.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = ApiKeysEventIds.RedisUnavailable, EventName = "RedisUnavailable", Level = LogLevel.Warning, Message = "Redis is unavailable for key pool {Pool} ({What}): {Error}")]
        public static partial void RedisUnavailable(ILogger logger, string pool, string what, string error);

        [LoggerMessage(EventId = ApiKeysEventIds.RedisReportLost, EventName = "ReportLost", Level = LogLevel.Warning, Message = "The report of lease {LeaseId} of key {KeyId} did not reach Redis ({Error}); the lease stops counting after the lease timeout")]
        public static partial void ReportLost(ILogger logger, string keyId, long leaseId, string error);

        [LoggerMessage(EventId = ApiKeysEventIds.RedisReportHandlingFailed, EventName = "ReportHandlingFailed", Level = LogLevel.Error, Message = "Handling the report of lease {LeaseId} of key {KeyId} threw ({Error}); the report itself was {Fate}")]
        public static partial void ReportHandlingFailed(ILogger logger, string keyId, long leaseId, string error, string fate);

        [LoggerMessage(EventId = ApiKeysEventIds.RedisLateReport, EventName = "LateReport", Level = LogLevel.Warning, Message = "Lease {LeaseId} of key {KeyId} was reported after the lease timeout ({LeaseTimeout}): its outcome is counted; the lease had stopped counting against the key's cap")]
        public static partial void LateReport(ILogger logger, string keyId, long leaseId, TimeSpan leaseTimeout);

        [LoggerMessage(EventId = ApiKeysEventIds.RedisPoolReregistered, EventName = "PoolReregistered", Level = LogLevel.Warning, Message = "Key pool {Pool} was missing from Redis (restart, failover or flush): registering its keys again")]
        public static partial void Reregistering(ILogger logger, string pool);

        [LoggerMessage(EventId = ApiKeysEventIds.RedisPoolRegistered, EventName = "PoolRegistered", Level = LogLevel.Debug, Message = "Key pool {Pool}: {Count} keys registered in Redis")]
        public static partial void Registered(ILogger logger, string pool, int count);

        [LoggerMessage(EventId = ApiKeysEventIds.RedisFallingBackToLocal, EventName = "FallingBackToLocal", Level = LogLevel.Warning, Message = "Redis is unreachable: key pool {Pool} serves from this process's local state until it is back")]
        public static partial void FallingBack(ILogger logger, string pool);

        [LoggerMessage(EventId = ApiKeysEventIds.RedisReconciled, EventName = "Reconciled", Level = LogLevel.Information, Message = "Key pool {Pool}: merged local state of {Count} keys into Redis")]
        public static partial void Reconciled(ILogger logger, string pool, int count);
    }
}
