using ApiKeys.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    private static partial class Log
    {
        [LoggerMessage(EventId = ApiKeysEventIds.StoreSaveFailed, EventName = "StoreSaveFailed", Level = LogLevel.Error, Message = "Failed to save {What}: {Reason} ({Path})")]
        public static partial void StoreSaveFailed(ILogger logger, string what, string reason, string path);

        [LoggerMessage(EventId = ApiKeysEventIds.StoreSaveRecovered, EventName = "StoreSaveRecovered", Level = LogLevel.Information, Message = "Saving works again ({Path})")]
        public static partial void StoreSaveRecovered(ILogger logger, string path);
    }
}
