using System.Diagnostics.CodeAnalysis;
using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>
    /// A success's code from <see cref="RedisScripts.Success"/> (or an acquire that carried it): null when the key's state is
    /// not plain (nothing done: the caller writes a new state), else what was done. Keeps the cache's view counting it.
    /// </summary>
    private RedisWriteStatus? TakeSuccess(string id, long leaseId, long code, long nowMs)
    {
        if (code is 0 or 2)
        {
            return code == 0 ? null : RedisWriteStatus.Duplicate;
        }

        if (code == 3)
        {
            Log.LateReport(_logger, id, leaseId, _redisOptions.LeaseTimeout);
        }

        // The last state seen counts this success too (it seeds Redis again after a restart without persistence); the next
        // write takes it off the hash's count with the others this state includes.
        var at = RedisStateCodec.Time(nowMs);
        while (_cache.TryGetValue(id, out var seen) && !_cache.TryUpdate(id, seen with
        {
            State = seen.State with { TotalSuccesses = seen.State.TotalSuccesses + 1, LastUsed = at },
            Folded = seen.Folded + 1,
        }, seen))
        {
        }

        return RedisWriteStatus.Applied;
    }

    /// <summary>A success whose key is not plain in Redis: the compare-and-set write, off the connection's reader; never throws.</summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "An unawaited report has no caller: every failure is logged as a lost report, never left in a faulted task.")]
    private void WriteOrLose(QueuedSuccess success)
    {
        try
        {
            WriteOutcome(success.Lease.KeyId, success.Outcome, success.Lease.LeaseId);
        }
        catch (Exception e)
        {
            LoseReport(success.Lease, success.Outcome, e);
        }
    }

    /// <summary>
    /// Successes sent together without waiting for their answer (<see cref="RedisScripts.Success"/>, or carried by an acquire),
    /// registered in <see cref="_sends"/> from creation until every one is handled: counted, written as a new state when the
    /// key stopped being plain (another process's write), or logged as lost.
    /// </summary>
    private sealed class SuccessBatch
    {
        private readonly RedisKeyPool _pool;
        private readonly List<QueuedSuccess> _items;
        private readonly long _number;
        private readonly TaskCompletionSource _handled = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public SuccessBatch(RedisKeyPool pool, List<QueuedSuccess> items)
        {
            (_pool, _items) = (pool, items);
            _number = Interlocked.Increment(ref pool._batchCount);
            pool._sends[_number] = _handled.Task;
        }

        public int Count => _items.Count;

        /// <summary><see cref="RedisScripts.Success"/>'s keys and arguments for these successes.</summary>
        public (RedisKey[] Keys, RedisValue[] Args) SuccessCall()
        {
            var keys = new RedisKey[2 + _items.Count];
            var args = new RedisValue[1 + _items.Count];
            (keys[0], keys[1]) = (_pool._names.Leases, _pool._names.Late);
            for (int i = 0; i < _items.Count; i++)
            {
                keys[2 + i] = _pool._names.Key(_items[i].Lease.KeyId);
            }

            AddMembers(args, 0);
            args[^1] = _pool.ClockArg();
            return (keys, args);
        }

        /// <summary>Writes the lease members into an acquire's arguments from <paramref name="at"/> on.</summary>
        public void AddMembers(RedisValue[] args, int at)
        {
            for (int i = 0; i < _items.Count; i++)
            {
                args[at + i] = RedisPoolKeys.LeaseMember(_items[i].Lease.LeaseId, _items[i].Lease.KeyId);
            }
        }

        /// <summary>Handles the codes, one a success in order from <paramref name="first"/> on, of an answer read at <paramref name="nowMs"/>.</summary>
        [SuppressMessage("Design", "CA1031:Do not catch general exception types",
            Justification = "The successes are counted in Redis already: a logger or a metrics listener that throws here must neither leave reads waiting for the batch nor reach the caller whose acquire carried it.")]
        public void Answered(RedisResult[] answer, int first, long nowMs)
        {
            List<Task>? writes = null;
            try
            {
                for (int i = 0; i < _items.Count; i++)
                {
                    var success = _items[i];
                    try
                    {
                        if (_pool.TakeSuccess(success.Lease.KeyId, success.Lease.LeaseId, (long)answer[first + i], nowMs) is null)
                        {
                            (writes ??= []).Add(Task.Run(() => _pool.WriteOrLose(success)));
                            continue;
                        }

                        _pool._notifier.RecordOutcome(success.Outcome);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        Log.ReportHandlingFailed(_pool._logger, success.Lease.KeyId, success.Lease.LeaseId, e.GetType().Name, "counted in Redis");
                    }
                }
            }
            finally
            {
                // Whatever happened above, the batch ends: reads and Dispose wait for it.
                if (writes is null)
                {
                    Done();
                }
                else
                {
                    Task.WhenAll(writes).ContinueWith(static (_, b) => ((SuccessBatch)b!).Done(), this, CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }

        /// <summary>The successes did not reach Redis (or their answer did not come back): each is a lost report.</summary>
        [SuppressMessage("Design", "CA1031:Do not catch general exception types",
            Justification = "A logger or metrics listener that throws while a loss is handled must neither stop the other losses from being handled nor reach the caller whose acquire carried them (it falls back, or is told Redis is unavailable).")]
        public void Lose(Exception e)
        {
            try
            {
                foreach (var success in _items)
                {
                    try
                    {
                        _pool.LoseReport(success.Lease, success.Outcome, e);
                    }
                    catch (Exception thrown) when (thrown is not OutOfMemoryException)
                    {
                        Log.ReportHandlingFailed(_pool._logger, success.Lease.KeyId, success.Lease.LeaseId, thrown.GetType().Name, "lost");
                    }
                }
            }
            finally
            {
                Done();
            }
        }

        private void Done()
        {
            _pool._sends.TryRemove(_number, out _);
            _handled.SetResult();
        }
    }
}
