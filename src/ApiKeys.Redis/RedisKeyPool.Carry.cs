using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>
    /// Runs the acquire script, carrying the successes queued in this process (<see cref="TrySendSuccess"/>); their codes are
    /// handled before this returns, and they are lost reports (<see cref="SuccessBatch.Lose"/>) if the acquire fails.
    /// Returns the answer and how many successes it carried (the answer's last elements).
    /// </summary>
    private (RedisResult Answer, int Carried) EvalAcquire(string? model)
    {
        var keys = AcquireKeys();
        var started = StartAcquire(model, keys, out var args, out var carried);
        RedisResult answer;
        try
        {
            answer = Eval(RedisScripts.Acquire, keys, args, "acquire", length: 4 + (carried?.Count ?? 0), started: started);
        }
        catch (Exception e) when (carried is not null)
        {
            carried.Lose(e);
            throw;
        }

        return (answer, Carried(answer, carried));
    }

    /// <summary><see cref="EvalAcquire"/> without blocking a thread.</summary>
    private async Task<(RedisResult Answer, int Carried)> EvalAcquireAsync(string? model)
    {
        var keys = AcquireKeys();
        var started = StartAcquire(model, keys, out var args, out var carried);
        RedisResult answer;
        try
        {
            answer = await EvalAsync(RedisScripts.Acquire, keys, args, "acquire", length: 4 + (carried?.Count ?? 0), started: started).ConfigureAwait(false);
        }
        catch (Exception e) when (carried is not null)
        {
            carried.Lose(e);
            throw;
        }

        return (answer, Carried(answer, carried));
    }

    /// <summary>
    /// Puts the acquire script on the connection. With no queued success unwritten (the common case) it goes at once; else,
    /// under <see cref="_sendGate"/>, it takes the queued successes along, and is written after any batch another thread took
    /// from the queue before it: a success reported before this acquire began always runs before its pick in Redis (a
    /// lease the caller just ended frees its key under <see cref="ApiKeyManagerOptions.MaxLeasesPerKey"/>).
    /// </summary>
    private Task<RedisResult> StartAcquire(string? model, RedisKey[] keys, out RedisValue[] args, out SuccessBatch? carried)
    {
        // Before anything is written, as every other call (EvalAsync): a queued acquire run on reconnection, after the caller
        // was served from the local fallback, would hold its key until LeaseTimeout.
        ThrowIfUnusable("acquire");

        var db = _redis.GetDatabase();
        if (Volatile.Read(ref _unwritten) == 0)
        {
            carried = null;
            args = AcquireArgs(model, null);
            return RedisScripts.Acquire.Start(db, keys, args);
        }

        lock (_sendGate)
        {
            carried = TakeQueued();
            try
            {
                args = AcquireArgs(model, carried);
            }
            catch (Exception e) when (carried is not null)
            {
                // Taken from the queue but never sent: lost, so that reads waiting for them do not wait forever.
                Written();
                carried.Lose(e);
                throw;
            }

            var started = RedisScripts.Acquire.Start(db, keys, args);
            Written();
            return started;
        }
    }

    private static int Carried(RedisResult answer, SuccessBatch? carried)
    {
        if (carried is null)
        {
            return 0;
        }

        var r = (RedisResult[])answer!;
        carried.Answered(r, r.Length - carried.Count, (long)r[3]);
        return carried.Count;
    }
}
