using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>One acquire script call: its picks, in the order asked for, and the successes it carries.</summary>
    private sealed class AcquireCall(RedisKeyPool pool, bool queued)
    {
        private readonly List<string?> _models = [];
        private readonly TaskCompletionSource<RedisResult[]>? _answered = queued ? new(TaskCreationOptions.RunContinuationsAsynchronously) : null;
        // Set once the call is written (true) or cannot be (false), for its leader (its first synchronous caller), if any.
        private TaskCompletionSource<bool>? _turn;
        private RedisKey[]? _keys;
        private RedisValue[]? _args;
        private SuccessBatch? _carried;
        private Task<RedisResult>? _started;

        /// <summary>The whole answer, for the picks of a call sent on their behalf (they waited for the call before).</summary>
        public Task<RedisResult[]> Answered => _answered!.Task;

        private int Length => _models.Count + (_carried?.Count ?? 0);

        /// <summary>
        /// Adds a pick (under <see cref="_sendGate"/>, before <see cref="Start"/>); returns its place in the answer, and whether
        /// its caller leads the call (the first synchronous caller of a waiting call).
        /// </summary>
        public (int Index, bool Leads) Add(string? model, bool synchronous)
        {
            _models.Add(model);
            bool leads = queued && synchronous && _turn is null;
            if (leads)
            {
                _turn = new TaskCompletionSource<bool>();
            }

            return (_models.Count - 1, leads);
        }

        /// <summary>Under <see cref="_sendGate"/>, once written: wakes the call's leader to wait for its answer; false when it has none.</summary>
        public bool Go() => _turn?.TrySetResult(true) ?? false;

        /// <summary>The leader waits until the call is written: true, or false when it could not be (the answer holds why).</summary>
        public bool AwaitTurn() => _turn!.Task.GetAwaiter().GetResult();

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

                // A call that failed before it was written: its leader, still waiting for its turn, takes the failure from the answer.
                _turn?.TrySetResult(false);
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
