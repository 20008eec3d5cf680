using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using ApiKeys.Pool;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    // The successes sent without waiting for their answer, by send number, until their answer is handled.
    private readonly ConcurrentDictionary<long, Task> _sends = new();
    private long _sendCount;

    /// <summary>
    /// Sends a lease's success without waiting for Redis's answer, when the key's state as this process last saw it is plain
    /// (a success only counts: <see cref="RedisScripts.Success"/>). The script is on the connection before this returns, so
    /// the caller's next acquire runs after it in Redis: a pair costs the caller one round trip. The answer is handled
    /// when it comes (<see cref="SucceedUnawaitedAsync"/>); reads, status and <see cref="Dispose"/> wait for it first.
    /// False when the report must be waited for: not a success, a state that is not plain (or not seen yet), Redis not
    /// connected, the local fallback on, the pool disposed.
    /// </summary>
    private bool TrySendSuccess(KeyLease lease, KeyOutcome outcome)
    {
        if (!outcome.IsSuccess || !_cache.TryGetValue(lease.KeyId, out var seen) || !RedisStateCodec.IsPlain(seen.State)
            || Volatile.Read(ref _disposed) != 0 || IsUsingLocalFallback || !_redis.IsConnected)
        {
            return false;
        }

        long n = Interlocked.Increment(ref _sendCount);
        var sent = SucceedUnawaitedAsync(lease, outcome);
        if (!sent.IsCompleted)
        {
            _sends[n] = sent;
            sent.ContinueWith(static (_, s) => ((Sent)s!).Done(), new Sent(this, n), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return true;
    }

    /// <summary>
    /// The answer of a success sent unawaited, handled as a waited report's is: counted (a late lease logged), or, when the
    /// key's state stopped being plain meanwhile (another process's write), written as a new state; a success that cannot
    /// reach Redis is logged as lost and, with <see cref="RedisKeyPoolOptions.FallbackToLocal"/>, counted locally (merged
    /// into Redis later). Never throws: there is no caller to throw to.
    /// </summary>
    [SuppressMessage("Design", "CA1031:Do not catch general exception types",
        Justification = "An unawaited report has no caller: every failure is logged as a lost report, never left in a faulted task.")]
    private async Task SucceedUnawaitedAsync(KeyLease lease, KeyOutcome outcome)
    {
        try
        {
            if (await SucceedPlainAsync(lease.KeyId, lease.LeaseId).ConfigureAwait(false) is null)
            {
                // Off the connection's reader: the write waits for answers the reader delivers.
                await Task.Run(() => WriteOutcome(lease.KeyId, outcome, lease.LeaseId)).ConfigureAwait(false);
                return;
            }

            _notifier.RecordOutcome(outcome);
        }
        catch (Exception e)
        {
            LoseReport(lease, outcome, e);
        }
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

    /// <summary>Waits until every success sent unawaited before this call has been handled (a read sees them all).</summary>
    private void AwaitSends()
    {
        if (!_sends.IsEmpty)
        {
            Task.WhenAll(_sends.Values).GetAwaiter().GetResult();
        }
    }

    /// <summary><see cref="AwaitSends"/> without blocking a thread.</summary>
    private Task AwaitSendsAsync() => _sends.IsEmpty ? Task.CompletedTask : Task.WhenAll(_sends.Values);

    /// <summary>One unawaited send, to forget once its answer is handled.</summary>
    private sealed class Sent(RedisKeyPool pool, long n)
    {
        public void Done() => pool._sends.TryRemove(n, out _);
    }
}
