using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using ApiKeys.Pool;
using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    // The batches of successes sent without waiting for their answer (or carried by an acquire), by number, until handled.
    private readonly ConcurrentDictionary<long, Task> _sends = new();
    // Guards the queue, and orders every write of queued successes before the acquires that must run after them.
    private readonly Lock _sendGate = new();
    private List<QueuedSuccess> _queued = [];
    private long _batchCount;
    private int _batchesInFlight;
    // How many queued successes are not on the wire yet (changed under _sendGate, after the write): 0 lets a waited call skip the lock.
    private int _unwritten;

    /// <summary>
    /// Sends a lease's success without waiting for Redis's answer, when the key's state as this process last saw it is plain
    /// (a success only counts: <see cref="RedisScripts.Success"/>). With no batch of successes on its way, the script is on the
    /// connection before this returns; with one, the success is queued and goes with the caller's next acquire (counted
    /// before its pick, <see cref="AcquireCall.Start"/>), or with the successes queued meanwhile once that batch's answer is in,
    /// whichever comes first. Either way the caller's next acquire runs after it in Redis, and a pair costs the caller one
    /// round trip; under load most pairs are one command. The answer is handled when it comes (<see cref="SuccessBatch"/>);
    /// reads, status and <see cref="Dispose"/> wait for it first. False when the report must be waited for: not a success,
    /// a state that is not plain (or not seen yet), Redis not connected, the local fallback on, the pool disposed.
    /// </summary>
    private bool TrySendSuccess(KeyLease lease, KeyOutcome outcome)
    {
        if (!outcome.IsSuccess || !_cache.TryGetValue(lease.KeyId, out var seen) || !RedisStateCodec.IsPlain(seen.State)
            || Volatile.Read(ref _disposed) != 0 || IsUsingLocalFallback || !_redis.IsConnected)
        {
            return false;
        }

        var success = new QueuedSuccess(lease, outcome);
        lock (_sendGate)
        {
            if (_batchesInFlight > 0)
            {
                _queued.Add(success);
                Volatile.Write(ref _unwritten, _queued.Count);
                return true;
            }

            _batchesInFlight++;
            _ = SendBatchAsync(new SuccessBatch(this, [success]));
        }

        return true;
    }

    /// <summary>
    /// Takes every queued success into a batch registered in <see cref="_sends"/>, or null when none is queued. Under
    /// <see cref="_sendGate"/>; the caller writes the batch (alone or in an acquire) and then calls <see cref="Written"/>.
    /// </summary>
    private SuccessBatch? TakeQueued()
    {
        if (_queued.Count == 0)
        {
            return null;
        }

        var batch = new SuccessBatch(this, _queued);
        _queued = [];
        return batch;
    }

    /// <summary>The successes taken are on the wire: an acquire from now on needs no lock to run after them.</summary>
    private void Written() => Volatile.Write(ref _unwritten, 0);

    /// <summary>
    /// Runs <see cref="RedisScripts.Success"/> for a batch (written before this returns its task, under <see cref="_sendGate"/>),
    /// then, with its answer in, sends what was queued meanwhile and handles the answer. Never throws.
    /// </summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "An unawaited report has no caller: every failure is logged as a lost report, never left in a faulted task.")]
    private async Task SendBatchAsync(SuccessBatch batch)
    {
        RedisResult[]? answer = null;
        Exception? failure = null;
        try
        {
            var (keys, args) = batch.SuccessCall();
            var sent = EvalAsync(RedisScripts.Success, keys, args, "report", TimeoutRetries, length: 1 + batch.Count);
            Written();
            answer = (RedisResult[])(await sent.ConfigureAwait(false))!;
        }
        catch (Exception e)
        {
            failure = e;
        }

        lock (_sendGate)
        {
            if (TakeQueued() is { } next)
            {
                _ = SendBatchAsync(next);
            }
            else
            {
                _batchesInFlight--;
            }
        }

        if (answer is null)
        {
            batch.Lose(failure!);
            return;
        }

        ObserveClock((long)answer[0]);
        batch.Answered(answer, 1, (long)answer[0]);
    }

    /// <summary>
    /// A report that did not reach Redis. Reports never throw into the caller's finished request: the outcome goes to local
    /// state (merged into Redis later) when falling back on an outage, else it is lost, logged, and the lease stops counting
    /// after <see cref="RedisKeyPoolOptions.LeaseTimeout"/>. A server that refused the write (OOM under noeviction, BUSY,
    /// NOPERM) loses the outcome, not the caller's request.
    /// </summary>
    private void LoseReport(KeyLease lease, KeyOutcome outcome, Exception e)
    {
        if (e is not RedisKeyPoolUnavailableException unavailable)
        {
            Log.ReportLost(_logger, lease.KeyId, lease.LeaseId, e.GetType().Name);
            return;
        }

        Log.ReportLost(_logger, lease.KeyId, lease.LeaseId, unavailable.Reason);
        if (_redisOptions.FallbackToLocal && Volatile.Read(ref _disposed) == 0)
        {
            Local().Report(lease.KeyId, outcome);
        }
    }

    /// <summary>Waits until every success reported before this call has been handled (a read sees them all).</summary>
    private void AwaitSends()
    {
        FlushQueued();
        if (!_sends.IsEmpty)
        {
            Task.WhenAll(_sends.Values).GetAwaiter().GetResult();
        }
    }

    /// <summary><see cref="AwaitSends"/> without blocking a thread.</summary>
    private Task AwaitSendsAsync()
    {
        FlushQueued();
        return _sends.IsEmpty ? Task.CompletedTask : Task.WhenAll(_sends.Values);
    }

    /// <summary>
    /// Sends the queued successes now, in a batch of their own, rather than after the batch on its way: a read, or a write
    /// of this process that must run after them (a waited report or release), is written after this returns.
    /// </summary>
    private void FlushQueued()
    {
        if (Volatile.Read(ref _unwritten) == 0)
        {
            return;
        }

        lock (_sendGate)
        {
            if (TakeQueued() is { } batch)
            {
                _batchesInFlight++;
                _ = SendBatchAsync(batch);
            }
        }
    }

    private readonly record struct QueuedSuccess(KeyLease Lease, KeyOutcome Outcome);
}
