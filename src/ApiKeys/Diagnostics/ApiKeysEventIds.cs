namespace ApiKeys.Diagnostics;

/// <summary>
/// Every log event id of the ApiKeys packages, in one table (each id means one message, whichever package logs it):
/// filter or alert on them. 1-19: what follows a key's transition, logged alike by every backend
/// (<see cref="Pool.KeyPoolNotifier"/>); 20-39: the Redis pool; 2001-2099: the HTTP handler; 2101-2199: key revalidation.
/// </summary>
/// <remarks>An id is never reused for another message: add new ones at the end of their range.</remarks>
public static class ApiKeysEventIds
{
    /// <summary>A key cools down for every model (warning).</summary>
    public const int KeyBlocked = 1;

    /// <summary>A key (or key x model) is available again after a cooldown (information).</summary>
    public const int KeyRestored = 2;

    /// <summary>A key (or key x model) is disabled until revalidated or enabled (warning).</summary>
    public const int KeyDisabled = 3;

    /// <summary>A key was enabled, revalidated or reset (information).</summary>
    public const int KeyEnabled = 4;

    /// <summary>The store could not be written; the change stays in memory and is retried (error).</summary>
    public const int StoreSaveFailed = 5;

    /// <summary>The store can be written again after a failure (information).</summary>
    public const int StoreSaveRecovered = 6;

    /// <summary>A key reached the configured number of consecutive failures (warning).</summary>
    public const int ConsecutiveFailures = 7;

    /// <summary>The environment-fault guard tripped: many keys failed the same way at once (warning).</summary>
    public const int EnvironmentFault = 8;

    /// <summary>A key cools down for one model (information).</summary>
    public const int KeyModelBlocked = 9;

    /// <summary>A <c>KeyChanged</c> or <c>Alert</c> handler threw (error).</summary>
    public const int HandlerFailed = 10;

    /// <summary>A failure calls for attention at once, such as a key reported as leaked (error).</summary>
    public const int KeyAlert = 11;

    /// <summary>Redis cannot be reached for a call (warning).</summary>
    public const int RedisUnavailable = 20;

    /// <summary>A lease's report did not reach Redis (warning).</summary>
    public const int RedisReportLost = 21;

    /// <summary>The pool was missing from Redis and is registered again (warning).</summary>
    public const int RedisPoolReregistered = 22;

    /// <summary>The pool's keys were registered in Redis (debug).</summary>
    public const int RedisPoolRegistered = 23;

    /// <summary>Redis is unreachable: the pool serves from local state (warning).</summary>
    public const int RedisFallingBackToLocal = 24;

    /// <summary>Local state learned during an outage was merged into Redis (information).</summary>
    public const int RedisReconciled = 25;

    /// <summary>A lease was reported after the Redis pool's lease timeout: its outcome is counted all the same (warning).</summary>
    public const int RedisLateReport = 26;

    /// <summary>A report reached Redis and was counted there, but handling its answer in this process threw (a logger or metrics listener; error).</summary>
    public const int RedisReportHandlingFailed = 27;

    /// <summary>An attempt of the HTTP handler failed and may be retried on another key (warning).</summary>
    public const int HttpAttemptFailed = 2001;

    /// <summary>The HTTP handler found no key to send (warning).</summary>
    public const int HttpNoKeyAvailable = 2002;

    /// <summary>An attempt of the HTTP handler was cancelled by the caller (debug).</summary>
    public const int HttpAttemptCancelled = 2003;

    /// <summary>The HTTP handler could not report an outcome to the pool (error).</summary>
    public const int HttpReportFailed = 2004;

    /// <summary>A key was revalidated by the background service (information).</summary>
    public const int KeyRevalidated = 2101;

    /// <summary>A revalidation could not be done (warning).</summary>
    public const int RevalidationFailed = 2102;
}
