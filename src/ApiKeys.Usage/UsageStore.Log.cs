using Microsoft.Extensions.Logging;

namespace ApiKeys.Usage;

public sealed partial class UsageStore
{
    /// <summary>The store's log lines (event ids 41xx). Ids and names only.</summary>
    private static partial class Log
    {
        [LoggerMessage(EventId = 4101, EventName = "UsageUnavailable", Level = LogLevel.Error, Message = "Usage statistics are off: {Message}")]
        public static partial void Unavailable(ILogger logger, string message);

        [LoggerMessage(EventId = 4102, EventName = "UsageWriteFailed", Level = LogLevel.Error,
            Message = "Usage statistics could not be written to {Target}: {Message}; {Pending} request(s) kept to retry, {Dropped} dropped so far")]
        public static partial void WriteFailed(ILogger logger, string target, string message, int pending, long dropped);

        [LoggerMessage(EventId = 4103, EventName = "UsageDropped", Level = LogLevel.Warning,
            Message = "{Count} request(s) were not accounted ({Reason}); {Total} dropped since start")]
        public static partial void Dropped(ILogger logger, long count, string reason, long total);

        [LoggerMessage(EventId = 4104, EventName = "UsageAnomaly", Level = LogLevel.Warning,
            Message = "Unusual activity: {Dimension} {Name} made {Requests} requests in the hour from {Hour:u}, more than {Factor} x its median of {Median} over the hours before")]
        public static partial void Anomaly(ILogger logger, string dimension, string name, long requests, DateTimeOffset hour, double factor, double median);

        [LoggerMessage(EventId = 4105, EventName = "UsageRecovered", Level = LogLevel.Information, Message = "Usage statistics are written to {Target} again")]
        public static partial void Recovered(ILogger logger, string target);

        [LoggerMessage(EventId = 4106, EventName = "UsageRetention", Level = LogLevel.Debug, Message = "Usage retention removed {Rows} request log row(s)")]
        public static partial void RetentionApplied(ILogger logger, long rows);
    }
}
