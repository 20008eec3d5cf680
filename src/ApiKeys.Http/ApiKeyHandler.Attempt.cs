using System.Runtime.ExceptionServices;
using ApiKeys.Http.Usage;
using ApiKeys.Pool;

namespace ApiKeys.Http;

public sealed partial class ApiKeyHandler
{
    /// <summary>A lease for <paramref name="model"/>; false (with why, logged) when the pool has none to give.</summary>
    private bool TryAcquire(string? model, out KeyLease? lease, out NoAvailableKeyException? none)
    {
        none = null;
        try
        {
            lease = _pool.Acquire(model);
            return true;
        }
        catch (NoAvailableKeyException ex)
        {
            Log.NoKeyAvailable(_logger, model ?? "(any)", ex.Reason.ToString());
            lease = null;
            none = ex;
            return false;
        }
    }

    /// <summary>
    /// What an attempt that threw gave: a transport failure is classified and captured, to be thrown when no other attempt
    /// follows. A cancellation by the caller (the key released with no strike) and anything else are thrown again at once.
    /// </summary>
    private (KeyFailure Failure, ExceptionDispatchInfo Error) Caught(Exception exception, AttemptKey key, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // The caller gave up (or HttpClient.Timeout struck).
            Log.AttemptCancelled(_logger, key.Id, key.Mask);
            ExceptionDispatchInfo.Throw(exception);
        }

        if (!IsTransport(exception))
        {
            // A classifier or body reader that throws: the response is disposed, the error is the caller's.
            ExceptionDispatchInfo.Throw(exception);
        }

        return (_classifier.ClassifyException(exception), ExceptionDispatchInfo.Capture(exception));
    }

    /// <summary>The outcome of an attempt: to the accounting, and to its lease or, for a pinned request, to the pin's report.</summary>
    private void Report(UsageMeter? usage, KeyLease? lease, PinnedKey? pinned, KeyFailure? failure, string? model, AttemptKey key)
    {
        usage?.Result(failure);
        try
        {
            if (lease is not null)
            {
                if (failure is null)
                {
                    lease.Succeeded();
                }
                else
                {
                    lease.Failed(failure);
                }
            }
            else
            {
                pinned?.Report?.Invoke(failure is null ? KeyOutcome.Success(model) : KeyOutcome.Failed(failure, failure.Model ?? model));
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ReportFailed(_logger, key.Id, key.Mask, _pool.Redactor.Redact(ex.Message));
        }
    }

    /// <summary>Whether the request goes again, with another key, after <paramref name="failure"/>; the attempt's failure is logged either way.</summary>
    private bool TryAgain(int attempt, bool replayable, bool pinned, KeyFailure failure, AttemptKey key)
    {
        bool again = !pinned && attempt < _options.MaxAttempts && replayable && failure.ShouldRetryOnAnotherKey;
        string next = again ? "trying another key" : pinned ? "giving up (the request is pinned to this key)" : "giving up";
        Log.AttemptFailed(_logger, attempt, key.Id, key.Mask, failure.ToString(), next);
        return again;
    }

    /// <summary>The key of one attempt: a lease's, or the pinned one (the secret goes only into the request's header).</summary>
    private readonly record struct AttemptKey(string Secret, string Id, string Mask)
    {
        public static AttemptKey Of(KeyLease? lease, PinnedKey? pinned) =>
            lease is not null ? new(lease.Key, lease.KeyId, lease.Mask) : new(pinned!.Key.Secret, pinned.Key.Id, pinned.Key.Mask);

        // The secret stays out of any text.
        public override string ToString() => Id + " " + Mask;
    }

    /// <summary>The attempt's own timeout (<see cref="ApiKeyHandlerOptions.AttemptTimeout"/>), linked with the caller's token.</summary>
    private sealed class AttemptDeadline : IDisposable
    {
        private readonly CancellationTokenSource _timeout;
        private readonly CancellationTokenSource _linked;

        private AttemptDeadline(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            _timeout = new CancellationTokenSource(timeout, time);
            _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timeout.Token);
        }

        public CancellationToken Token => _linked.Token;

        /// <summary>A deadline when <paramref name="timeout"/> is set; null (the caller's token alone) when not.</summary>
        public static AttemptDeadline? Start(TimeSpan? timeout, TimeProvider time, CancellationToken cancellationToken) =>
            timeout is { } t ? new AttemptDeadline(t, time, cancellationToken) : null;

        public void Dispose()
        {
            _linked.Dispose();
            _timeout.Dispose();
        }
    }
}
