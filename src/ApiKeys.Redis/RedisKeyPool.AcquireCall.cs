using System.Diagnostics.CodeAnalysis;
using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    // The acquires asked for while one was on its way: they go together, as one call, once its answer is in (under _sendGate).
    private AcquireCall? _waitingAcquires;
    // At most this many acquire calls of this process on their way: a pick asked for beyond waits to go with the next call.
    // One, measured against two, three and no limit (docs/benchmarks.md): more calls on their way carry fewer picks each,
    // and at 16 callers only one reached 40 % of PING's rate.
    private const int MaxAcquiresOnTheirWay = 1;
    // How many acquire calls are on their way (under _sendGate).
    private int _acquiresOnTheirWay;

    /// <summary>
    /// The answer of the acquire script to this pick (<see cref="RedisScripts.Acquire"/>: {code, ...}). With no acquire of this
    /// process on its way, the pick goes at once, alone, and this thread waits for its answer (one caller: one call, as
    /// always). With one on its way, the pick waits for it and then goes with every other pick asked for meanwhile, as one
    /// call (a group commit): under concurrency a call carries several picks, and the client's and Redis's cost of a call is
    /// shared. The picks run in Redis in the order they were asked for, each as its own acquire would; either way the call
    /// carries the successes queued in this process (<see cref="TrySendSuccess"/>), counted before its picks. A waiting call's
    /// first synchronous caller (its leader) waits for its answer on its own thread, woken by the thread that reads it as a
    /// lone caller is, and hands it to the others: no continuation queued to the thread pool (behind whatever else is queued
    /// there under load) stands between the answer and the synchronous callers.
    /// </summary>
    private RedisResult[] EvalAcquire(string? model)
    {
        var (call, index, role) = Enter(model, synchronous: true);
        if (role == AcquireRole.Waits || (role == AcquireRole.Leads && !call.AwaitTurn()))
        {
            return AcquireCall.Pick(call.Answered.GetAwaiter().GetResult(), index);
        }

        RedisResult[] answer;
        try
        {
            answer = call.Wait();
        }
        catch (Exception e)
        {
            Completed(call, null, e);
            throw;
        }

        Completed(call, answer, null);
        return AcquireCall.Pick(answer, index);
    }

    /// <summary><see cref="EvalAcquire"/> without blocking a thread.</summary>
    private async Task<RedisResult[]> EvalAcquireAsync(string? model)
    {
        var (call, index, role) = Enter(model, synchronous: false);
        if (role == AcquireRole.Waits)
        {
            return AcquireCall.Pick(await call.Answered.ConfigureAwait(false), index);
        }

        RedisResult[] answer;
        try
        {
            answer = await call.WaitAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Completed(call, null, e);
            throw;
        }

        Completed(call, answer, null);
        return AcquireCall.Pick(answer, index);
    }

    /// <summary>
    /// Sends the pick now (this caller waits for the call: <see cref="AcquireRole.Sends"/>) or adds it to the call that goes
    /// when the one on its way is answered. Before anything is written, as every other call (<see cref="EvalAsync"/>): a
    /// queued acquire run on reconnection, after the caller was served from the local fallback, would hold its key until LeaseTimeout.
    /// </summary>
    private (AcquireCall Call, int Index, AcquireRole Role) Enter(string? model, bool synchronous)
    {
        lock (_sendGate)
        {
            if (_acquiresOnTheirWay >= MaxAcquiresOnTheirWay)
            {
                var waiting = _waitingAcquires ??= new AcquireCall(this, queued: true);
                var (index, leads) = waiting.Add(model, synchronous);
                return (waiting, index, leads ? AcquireRole.Leads : AcquireRole.Waits);
            }

            var call = new AcquireCall(this, queued: false);
            call.Add(model, synchronous);
            call.Start();
            _acquiresOnTheirWay++;
            return (call, 0, AcquireRole.Sends);
        }
    }

    /// <summary>An acquire call was answered (or failed): the picks asked for meanwhile go, and the call's own are settled.</summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "Whatever stops the next call from being written is its callers' answer; it never reaches the caller settling this one.")]
    private void Completed(AcquireCall call, RedisResult[]? answer, Exception? failure)
    {
        lock (_sendGate)
        {
            var next = _waitingAcquires;
            _waitingAcquires = null;
            if (next is null)
            {
                _acquiresOnTheirWay--;
            }
            else
            {
                try
                {
                    next.Start();
                    if (!next.Go())
                    {
                        _ = RunAsync(next);
                    }
                }
                catch (Exception e)
                {
                    _acquiresOnTheirWay--;
                    next.Settle(null, e);
                }
            }
        }

        call.Settle(answer, failure);
    }

    /// <summary>Waits, off every caller's thread, for a call sent on behalf of picks that waited for the one before, none of them synchronous.</summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "The failure is the answer of the call's callers, handed to them by Settle.")]
    private async Task RunAsync(AcquireCall call)
    {
        RedisResult[]? answer = null;
        Exception? failure = null;
        try
        {
            answer = await call.WaitAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
        }

        Completed(call, answer, failure);
    }

    /// <summary>What a caller does with the acquire call its pick is in.</summary>
    private enum AcquireRole
    {
        /// <summary>Sent it: waits for its answer, then writes the next call.</summary>
        Sends,

        /// <summary>The first synchronous caller of a waiting call: once it is written, waits for its answer and hands it to the others.</summary>
        Leads,

        /// <summary>Waits for the answer the call's leader (or a pool thread) hands it.</summary>
        Waits,
    }
}
