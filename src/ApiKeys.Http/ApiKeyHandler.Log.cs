using ApiKeys.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ApiKeys.Http;

public sealed partial class ApiKeyHandler
{
    /// <summary>Log lines carry the key's id and mask, never the secret; failure texts are redacted when created.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = ApiKeysEventIds.HttpAttemptFailed, EventName = "AttemptFailed", Level = LogLevel.Warning,
            Message = "Attempt {Attempt} with key {KeyId} ({KeyMask}) failed: {Failure}; {Next}")]
        public static partial void AttemptFailed(ILogger logger, int attempt, string keyId, string keyMask, string failure, string next);

        [LoggerMessage(EventId = ApiKeysEventIds.HttpNoKeyAvailable, EventName = "NoKeyAvailable", Level = LogLevel.Warning,
            Message = "No key available for model {Model}: {Reason}")]
        public static partial void NoKeyAvailable(ILogger logger, string model, string reason);

        [LoggerMessage(EventId = ApiKeysEventIds.HttpReportFailed, EventName = "ReportFailed", Level = LogLevel.Error,
            Message = "The outcome for key {KeyId} ({KeyMask}) could not be reported: {Message}")]
        public static partial void ReportFailed(ILogger logger, string keyId, string keyMask, string message);

        [LoggerMessage(EventId = ApiKeysEventIds.HttpAttemptCancelled, EventName = "AttemptCancelled", Level = LogLevel.Debug,
            Message = "Request with key {KeyId} ({KeyMask}) was cancelled; the key is released with no strike")]
        public static partial void AttemptCancelled(ILogger logger, string keyId, string keyMask);
    }
}
