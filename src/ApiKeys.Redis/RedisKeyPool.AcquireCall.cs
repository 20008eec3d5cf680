using System.Diagnostics.CodeAnalysis;
using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    // The acquires asked for while one was on its way: they go together, as one call, once its answer is in (under _sendGate).
    private AcquireCall? _waitingAcquires;
    // At most this many acquire calls of this process on their way: a pick asked for beyond waits to go with the next call.
    // One, measured at 16 callers against two and four (docs/benchmarks.md): more calls carry fewer picks each.
    private const int MaxAcquiresOnTheirWay = 1;
    // How many acquire calls are on their way (under _sendGate).
    private int _acquiresOnTheirWay;

    /// <summary>
    /// The answer of the acquire script to this pick (<see cref="RedisScripts.Acquire"/>: {code, ...}). With no acquire of this
    /// process on its way, the pick goes at once, alone, and this thread waits for its answer (one caller: one call, as
    /// always). With one on its way, the pick waits for it and then goes with every other pick asked for meanwhile, as one
    /// call (a group commit): under concurrency a call carries several picks, and the client's and Redis's cost of a call is
    /// shared. The picks run in Redis in the order they were asked for, each as its own acquire would; either way the call
    /// carries the successes queued in this process (<see cref="TrySendSuccess"/>), counted before its picks.
    /// </summary>
    private RedisResult[] EvalAcquire(string? model)
    {
        var (call, index, mine) = Enter(model);
        if (!mine)
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
        return AcquireCall.Pick(answer, 0);
    }

    /// <summary><see cref="EvalAcquire"/> without blocking a thread.</summary>
    private async Task<RedisResult[]> EvalAcquireAsync(string? model)
    {
        var (call, index, mine) = Enter(model);
        if (!mine)
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
        return AcquireCall.Pick(answer, 0);
    }

    /// <summary>
    /// Sends the pick now (mine: this caller waits for the call) or adds it to the call that goes when the one on its way is
    /// answered. Before anything is written, as every other call (<see cref="EvalAsync"/>): a queued acquire run on
    /// reconnection, after the caller was served from the local fallback, would hold its key until LeaseTimeout.
    /// </summary>
    private (AcquireCall Call, int Index, bool Mine) Enter(string? model)
    {
        lock (_sendGate)
        {
            if (_acquiresOnTheirWay >= MaxAcquiresOnTheirWay)
            {
                var waiting = _waitingAcquires ??= new AcquireCall(this, queued: true);
                return (waiting, waiting.Add(model), false);
            }

            var call = new AcquireCall(this, queued: false);
            call.Add(model);
            call.Start();
            _acquiresOnTheirWay++;
            return (call, 0, true);
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
                    _ = RunAsync(next);
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

    /// <summary>Waits, off every caller's thread, for a call sent on behalf of the picks that waited for the one before.</summary>
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

    /// <summary>One acquire script call: its picks, in the order asked for, and the successes it carries.</summary>
    private sealed class AcquireCall(RedisKeyPool pool, bool queued)
    {
        private readonly List<string?> _models = [];
        private readonly TaskCompletionSource<RedisResult[]>? _answered = queued ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        private RedisKey[]? _keys;
        private RedisValue[]? _args;
        private SuccessBatch? _carried;
        private Task<RedisResult>? _started;

        /// <summary>The whole answer, for the picks of a call sent on their behalf (they waited for the call before).</summary>
        public Task<RedisResult[]> Answered => _answered!.Task;

        private int Length => _models.Count + (_carried?.Count ?? 0);

        /// <summary>Adds a pick (under <see cref="_sendGate"/>, before <see cref="Start"/>); returns its place in the answer.</summary>
        public int Add(string? model)
        {
            _models.Add(model);
            return _models.Count - 1;
        }

        /// <summary>
        /// Under <see cref="_sendGate"/>: writes the call, carrying the successes queued so far (a success reported before a pick
        /// was asked for runs before it in Redis). Throws, having written nothing, when the pool is disposed or Redis is not connected.
        /// </summary>
        public void Start()
        {
            pool.ThrowIfUnusable("acquire");
            _keys = pool.AcquireKeys();
            _carried = pool.TakeQueued();
            try
            {
                _args = pool.AcquireArgs(_models, _carried);
            }
            catch (Exception e) when (_carried is { } carried)
            {
                // Taken from the queue but never sent: lost, so that reads waiting for them do not wait forever.
                _carried = null;
                pool.Written();
                carried.Lose(e);
                throw;
            }

            _started = RedisScripts.Acquire.Start(pool._redis.GetDatabase(), _keys, _args);
            pool.Written();
        }

        /// <summary>The call's answer, waited for on this thread.</summary>
        public RedisResult[] Wait() =>
            Checked(pool.Eval(RedisScripts.Acquire, _keys!, _args!, "acquire", length: Length, started: _started));

        /// <summary>The call's answer, without blocking a thread.</summary>
        public async Task<RedisResult[]> WaitAsync() =>
            Checked(await pool.EvalAsync(RedisScripts.Acquire, _keys!, _args!, "acquire", length: Length, started: _started).ConfigureAwait(false));

        /// <summary>The answer to the pick at <paramref name="index"/>.</summary>
        public static RedisResult[] Pick(RedisResult[] answer, int index) => (RedisResult[])answer[index]!;

        /// <summary>The call was answered (or failed): the successes it carried are handled, and the picks that waited for it get the answer.</summary>
        public void Settle(RedisResult[]? answer, Exception? failure)
        {
            try
            {
                if (_carried is { } carried)
                {
                    if (answer is null)
                    {
                        carried.Lose(failure!);
                    }
                    else
                    {
                        carried.Answered(answer, _models.Count, (long)Pick(answer, 0)[3]);
                    }
                }
            }
            finally
            {
                if (answer is null)
                {
                    _answered?.TrySetException(failure!);
                }
                else
                {
                    _answered?.TrySetResult(answer);
                }
            }
        }

        // Every pick's answer has its four elements: anything else is an outage (see Eval), never an IndexOutOfRangeException.
        private RedisResult[] Checked(RedisResult answer)
        {
            var all = (RedisResult[])answer!;
            for (int i = 0; i < _models.Count; i++)
            {
                if (!HasShape(all[i], 4))
                {
                    throw pool.WrongAnswer("acquire", all[i]);
                }
            }

            return all;
        }
    }
}
