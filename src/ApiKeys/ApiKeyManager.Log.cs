using ApiKeys.Pool;
using Microsoft.Extensions.Logging;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    /// <summary>Logs and raises what happened under the lock, outside it.</summary>
    private void Publish(List<object>? notices)
    {
        if (notices is null)
        {
            return;
        }

        foreach (var notice in notices)
        {
            switch (notice)
            {
                case KeyEventArgs e:
                    LogEvent(e);
                    Raise(KeyChanged, e);
                    break;
                case KeyAlertEventArgs a:
                    if (a.IsStrikeAlert)
                    {
                        Log.ConsecutiveFailures(_logger, a.Mask, a.ConsecutiveFailures, a.LastError?.Kind.ToString() ?? "unknown");
                    }
                    else
                    {
                        Log.KeyAlert(_logger, a.Mask, Redactor.Redact(a.Reason));
                    }

                    Raise(Alert, a);
                    break;
                case EnvironmentFaultNotice f:
                    Log.EnvironmentFault(_logger, f.Keys, f.Kind.ToString(), f.Until);
                    break;
            }
        }
    }

    private void LogEvent(KeyEventArgs e)
    {
        string reason = Redactor.Redact(e.Reason ?? e.Failure?.ToString() ?? e.Kind.ToString());
        string scope = e.Model is null ? "" : $" for model {e.Model}";
        var until = e.Until ?? default;
        switch (e.Kind)
        {
            case KeyEventKind.Cooling when e.Model is null:
                Log.KeyBlocked(_logger, e.Mask, until, reason);
                break;
            case KeyEventKind.Cooling:
                Log.KeyModelBlocked(_logger, e.Mask, e.Model!, until, reason);
                break;
            case KeyEventKind.Disabled:
                Log.KeyDisabled(_logger, e.Mask, scope, reason);
                break;
            case KeyEventKind.Restored:
                Log.KeyRestored(_logger, e.Mask, scope);
                break;
            case KeyEventKind.Enabled:
                Log.KeyEnabled(_logger, e.Mask, reason);
                break;
        }
    }

    private void Raise<T>(EventHandler<T>? handler, T args)
        where T : EventArgs
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, args);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.HandlerFailed(_logger, Redactor.Redact(e.Message));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, EventName = "KeyBlocked", Level = LogLevel.Warning, Message = "Key {KeyMask} blocked until {Until:u} after {Reason}")]
        public static partial void KeyBlocked(ILogger logger, string keyMask, DateTimeOffset until, string reason);

        [LoggerMessage(EventId = 2, EventName = "KeyRestored", Level = LogLevel.Information, Message = "Key {KeyMask} is available again{Scope}")]
        public static partial void KeyRestored(ILogger logger, string keyMask, string scope);

        [LoggerMessage(EventId = 3, EventName = "KeyDisabled", Level = LogLevel.Warning, Message = "Key {KeyMask} disabled{Scope}: {Reason}")]
        public static partial void KeyDisabled(ILogger logger, string keyMask, string scope, string reason);

        [LoggerMessage(EventId = 4, EventName = "KeyEnabled", Level = LogLevel.Information, Message = "Key {KeyMask} enabled: {Reason}")]
        public static partial void KeyEnabled(ILogger logger, string keyMask, string reason);

        [LoggerMessage(EventId = 5, EventName = "StoreSaveFailed", Level = LogLevel.Error, Message = "Failed to save {What}: {Reason} ({Path})")]
        public static partial void StoreSaveFailed(ILogger logger, string what, string reason, string path);

        [LoggerMessage(EventId = 6, EventName = "StoreSaveRecovered", Level = LogLevel.Information, Message = "Saving works again ({Path})")]
        public static partial void StoreSaveRecovered(ILogger logger, string path);

        [LoggerMessage(EventId = 7, EventName = "ConsecutiveFailures", Level = LogLevel.Warning, Message = "Key {KeyMask} has failed {Failures} times in a row (last: {Kind})")]
        public static partial void ConsecutiveFailures(ILogger logger, string keyMask, int failures, string kind);

        [LoggerMessage(EventId = 8, EventName = "EnvironmentFault", Level = LogLevel.Warning, Message = "{Keys} keys failed with {Kind} at once across projects: the network or environment is at fault, not the keys; no strikes for this kind, back off until {Until:u}")]
        public static partial void EnvironmentFault(ILogger logger, int keys, string kind, DateTimeOffset until);

        [LoggerMessage(EventId = 9, EventName = "KeyModelBlocked", Level = LogLevel.Information, Message = "Key {KeyMask} blocked for model {Model} until {Until:u}: {Reason}")]
        public static partial void KeyModelBlocked(ILogger logger, string keyMask, string model, DateTimeOffset until, string reason);

        [LoggerMessage(EventId = 10, EventName = "HandlerFailed", Level = LogLevel.Error, Message = "An event handler of the key pool threw: {Message}")]
        public static partial void HandlerFailed(ILogger logger, string message);

        [LoggerMessage(EventId = 11, EventName = "KeyAlert", Level = LogLevel.Error, Message = "Key {KeyMask} needs attention: {Reason}")]
        public static partial void KeyAlert(ILogger logger, string keyMask, string reason);
    }
}
