using System.Runtime.ExceptionServices;
using ApiKeys.Pool;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _syncSignal = new(0, 1);
    private readonly Task? _syncLoop;

    /// <summary>Asks the loop for a prompt write (a key's availability changed).</summary>
    private void SignalSync()
    {
        if (_syncSignal.CurrentCount == 0)
        {
            try
            {
                _syncSignal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
            catch (ObjectDisposedException)
            {
                // Disposed meanwhile.
            }
        }
    }

    /// <summary>Writes about once every <see cref="ApiKeyManagerOptions.SyncInterval"/>, and promptly after a transition.</summary>
    private async Task SyncLoopAsync()
    {
        var token = _stop.Token;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var tick = Task.Delay(_options.SyncInterval, _time, token);
                var signal = _syncSignal.WaitAsync(token);
                await Task.WhenAny(tick, signal).ConfigureAwait(false);
                if (token.IsCancellationRequested)
                {
                    break;
                }

                if (signal.IsCompletedSuccessfully)
                {
                    // Coalesce a burst of transitions into one write.
                    await Task.WhenAny(Task.Delay(TimeSpan.FromMilliseconds(20), _time, token)).ConfigureAwait(false);
                }

                Sync(throwOnError: false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var notices = new KeyNotices();
                notices.AddStoreSaveFailed("key states", e.Message, _store.Location);
                Publish(notices);
            }
        }
    }

    /// <summary>Writes the pending state changes (merged with other processes'), adopts what others wrote, then publishes.</summary>
    private void Sync(bool throwOnError)
    {
        var (notices, error) = _sync.Sync(reportEveryFailure: throwOnError);
        Publish(notices);
        if (throwOnError && error is not null)
        {
            ExceptionDispatchInfo.Throw(error);
        }
    }
}
