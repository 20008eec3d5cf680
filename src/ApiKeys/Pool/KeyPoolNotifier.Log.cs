using ApiKeys.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ApiKeys.Pool;

public sealed partial class KeyPoolNotifier
{
    /// <summary>The log lines of a pool's transitions: keys by mask, never a secret; reasons redacted.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = ApiKeysEventIds.KeyBlocked, EventName = "KeyBlocked", Level = LogLevel.Warning, Message = "Key {KeyMask} blocked until {Until:u} after {Reason}")]
        public static partial void KeyBlocked(ILogger logger, string keyMask, DateTimeOffset until, string reason);

        [LoggerMessage(EventId = ApiKeysEventIds.KeyRestored, EventName = "KeyRestored", Level = LogLevel.Information, Message = "Key {KeyMask} is available again{Scope}")]
        public static partial void KeyRestored(ILogger logger, string keyMask, string scope);

        [LoggerMessage(EventId = ApiKeysEventIds.KeyDisabled, EventName = "KeyDisabled", Level = LogLevel.Warning, Message = "Key {KeyMask} disabled{Scope}: {Reason}")]
        public static partial void KeyDisabled(ILogger logger, string keyMask, string scope, string reason);

        [LoggerMessage(EventId = ApiKeysEventIds.KeyEnabled, EventName = "KeyEnabled", Level = LogLevel.Information, Message = "Key {KeyMask} enabled: {Reason}")]
        public static partial void KeyEnabled(ILogger logger, string keyMask, string reason);

        [LoggerMessage(EventId = ApiKeysEventIds.StoreSaveFailed, EventName = "StoreSaveFailed", Level = LogLevel.Error, Message = "Failed to save {What}: {Reason} ({Path})")]
        public static partial void StoreSaveFailed(ILogger logger, string what, string reason, string path);

        [LoggerMessage(EventId = ApiKeysEventIds.StoreSaveRecovered, EventName = "StoreSaveRecovered", Level = LogLevel.Information, Message = "Saving works again ({Path})")]
        public static partial void StoreSaveRecovered(ILogger logger, string path);

        [LoggerMessage(EventId = ApiKeysEventIds.ConsecutiveFailures, EventName = "ConsecutiveFailures", Level = LogLevel.Warning, Message = "Key {KeyMask} has failed {Failures} times in a row (last: {Kind})")]
        public static partial void ConsecutiveFailures(ILogger logger, string keyMask, int failures, string kind);

        [LoggerMessage(EventId = ApiKeysEventIds.EnvironmentFault, EventName = "EnvironmentFault", Level = LogLevel.Warning, Message = "{Keys} keys failed with {Kind} at once across projects: the network or environment is at fault, not the keys; no strikes for this kind, back off until {Until:u}")]
        public static partial void EnvironmentFault(ILogger logger, int keys, string kind, DateTimeOffset until);

        [LoggerMessage(EventId = ApiKeysEventIds.KeyModelBlocked, EventName = "KeyModelBlocked", Level = LogLevel.Information, Message = "Key {KeyMask} blocked for model {Model} until {Until:u}: {Reason}")]
        public static partial void KeyModelBlocked(ILogger logger, string keyMask, string model, DateTimeOffset until, string reason);

        [LoggerMessage(EventId = ApiKeysEventIds.HandlerFailed, EventName = "HandlerFailed", Level = LogLevel.Error, Message = "An event handler of the key pool threw: {Message}")]
        public static partial void HandlerFailed(ILogger logger, string message);

        [LoggerMessage(EventId = ApiKeysEventIds.KeyAlert, EventName = "KeyAlert", Level = LogLevel.Error, Message = "Key {KeyMask} needs attention: {Reason}")]
        public static partial void KeyAlert(ILogger logger, string keyMask, string reason);
    }
}
