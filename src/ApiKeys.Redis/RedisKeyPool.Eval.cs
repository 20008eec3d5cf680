using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>
    /// Runs a script, turning connection trouble into <see cref="RedisKeyPoolUnavailableException"/> (retrying timeouts when asked).
    /// <paramref name="length"/> is the least number of elements the script's array answer has (0: a scalar answer). An answer
    /// that is null or shorter (StackExchange.Redis 2.13 sometimes delivers one under a concurrent <c>SCRIPT FLUSH</c> or a restart;
    /// the scripts never return one) is asked again once, the script sent whole, when a second run is safe
    /// (<paramref name="timeoutRetries"/> &gt; 0: the write says what it applies to, a lease or an operation id, so it applies once);
    /// otherwise, or when the second answer is wrong too, it is an outage, never an <see cref="IndexOutOfRangeException"/>.
    /// The acquire is not re-asked: if its script ran, a second run would take a second lease and the first would count until
    /// <see cref="RedisKeyPoolOptions.LeaseTimeout"/>. A waited call runs after the successes this process queued before it
    /// (<see cref="FlushQueued"/>; an acquire carries them instead, <paramref name="started"/>): the last outcome reported is
    /// the last applied.
    /// </summary>
    private RedisResult Eval(RedisScript script, RedisKey[] keys, RedisValue[] args, string what, int timeoutRetries = 0, int length = 0,
        Task<RedisResult>? started = null)
    {
        if (started is null)
        {
            FlushQueued();
        }

        return EvalAsync(script, keys, args, what, timeoutRetries, length, wait: true, started).GetAwaiter().GetResult();
    }

    /// <summary>
    /// <see cref="Eval"/> without blocking a thread (<paramref name="wait"/> false). The command is written (or queued in
    /// order) before this returns its task, so a command this thread sends next runs after it on the same connection (an
    /// unawaited success relies on it). With <paramref name="wait"/>, each call is waited for here
    /// (<see cref="RedisScript.Evaluate"/>) and the task returned is complete. <paramref name="started"/>: the first attempt,
    /// already put on the connection (<see cref="RedisScript.Start"/>) with these keys and arguments.
    /// </summary>
    private async Task<RedisResult> EvalAsync(RedisScript script, RedisKey[] keys, RedisValue[] args, string what, int timeoutRetries = 0,
        int length = 0, bool wait = false, Task<RedisResult>? started = null)
    {
        bool whole = false;
        for (int attempt = 0; ; attempt++)
        {
            // A call started is on the connection already: saying "unavailable" now would not stop it from running.
            if (started is null)
            {
                ThrowIfUnusable(what);
            }

            try
            {
                var db = _redis.GetDatabase();
                var call = whole ? script.EvaluateWholeAsync(db, keys, args) : started ?? script.Start(db, keys, args);
                started = null;
                RedisResult? result = wait ? (whole ? call.GetAwaiter().GetResult() : script.Wait(call, db, keys, args))
                    : await (whole ? call : script.WaitAsync(call, db, keys, args)).ConfigureAwait(false);
                if (HasShape(result, length))
                {
                    return result!;
                }

                if (whole || timeoutRetries == 0)
                {
                    throw WrongAnswer(what, result);
                }

                whole = true;
            }
            catch (RedisTimeoutException) when (attempt < timeoutRetries)
            {
                // The script may have run: the retry is safe because every such write says what it applies to (a lease, an operation id).
            }
            catch (Exception e) when (IsOutage(e))
            {
                throw Unavailable(what, e);
            }
        }
    }

    /// <summary>
    /// Before anything is written: the pool disposed, or Redis not connected (a multiplexer that queues commands while
    /// disconnected, StackExchange.Redis's default backlog, would run the call later, after its caller was told otherwise).
    /// </summary>
    private void ThrowIfUnusable(string what)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_redis.IsConnected)
        {
            throw Unavailable(what, null);
        }
    }

    internal static bool HasShape(RedisResult? result, int length) => result is { IsNull: false }
        && (length == 0 || (result.Resp2Type == ResultType.Array && ((RedisResult[])result!).Length >= length));

    private RedisKeyPoolUnavailableException WrongAnswer(string what, RedisResult? result) =>
        Unavailable(what, null, result is null or { IsNull: true } ? "no answer" : "an answer of the wrong shape");

    // The pool passes no cancellation token to Redis: a cancelled command is the client aborting it on a dropped connection.
    // InvalidOperationException and ObjectDisposedException out of the client's call are its connection's pipe torn down under
    // a writer during a restart ("Writing is not allowed after writer was completed"; later StackExchange.Redis versions
    // report it as a closed socket): an outage like any other, so a report falls back or is logged as lost, never thrown.
    // An IOException is the socket itself failing under a call on its way (StackExchange.Redis 2.13 hands the reader's
    // Pipelines.Sockets.Unofficial.ConnectionResetException, "Connection reset by peer", to the calls it fails in a restart).
    internal static bool IsOutage(Exception e) => e is RedisConnectionException or RedisTimeoutException or TaskCanceledException or IOException
        || (e is InvalidOperationException and not RedisKeyPoolUnavailableException)
        || (e is RedisServerException s && (s.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || s.Message.StartsWith("READONLY", StringComparison.Ordinal) || s.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || s.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal) || s.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)));

    private RedisKeyPoolUnavailableException Unavailable(string what, Exception? inner, string notConnected = "not connected")
    {
        string endpoints = RedisEndpoints.Describe(_redis.GetEndPoints());
        string message = $"Redis ({endpoints}) is unavailable for key pool '{_redisOptions.PoolName}' ({what}): "
            + (inner is null ? notConnected : inner.GetType().Name)
            + ". Check the server, or set RedisKeyPoolOptions.FallbackToLocal to serve from local state meanwhile.";
        var e = inner is null ? new RedisKeyPoolUnavailableException(message) : new RedisKeyPoolUnavailableException(message, inner);
        e.Data["reason"] = notConnected;
        return e;
    }
}
