namespace ApiKeys.Pool;

/// <summary>
/// Runs the pool's periodic store sync on a thread of its own: about once every interval (timed by the pool's
/// <see cref="TimeProvider"/>), and promptly, after a short pause that coalesces a burst, when <see cref="Signal"/> asks.
/// </summary>
/// <remarks>
/// A sync blocks on the disk (a write, then fsync of the file and its directory: milliseconds, sometimes far more). On a
/// thread-pool thread that wait takes a worker from every other caller of the process (ASP.NET Core's requests, the pool's
/// own continuations), which showed as 146-207 ms p99 latency through the gateway at one connection. Here it blocks only
/// this thread. Thread-safe; <see cref="Stop"/> once, then the owner runs its final sync itself.
/// </remarks>
internal sealed class StoreSyncLoop : IDisposable
{
    /// <summary>The pause after a prompt request, so a burst of transitions makes one write.</summary>
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(20);

    private readonly Action _sync;
    private readonly Action<Exception> _failed;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Thread _thread;
    private int _prompt;

    /// <param name="sync">One sync (it reports its own store errors).</param>
    /// <param name="failed">What to do with anything else a sync throws.</param>
    /// <param name="interval">The period of the sync.</param>
    /// <param name="time">The clock of the period and of the pause.</param>
    public StoreSyncLoop(Action sync, Action<Exception> failed, TimeSpan interval, TimeProvider time)
    {
        _sync = sync;
        _failed = failed;
        _interval = interval;
        _time = time;

        // A background thread: a pool never disposed does not keep the process alive (nor did the task it replaces).
        _thread = new Thread(Run, maxStackSize: 256 * 1024) { IsBackground = true, Name = "ApiKeys store sync" };
    }

    /// <summary>Starts the thread.</summary>
    public void Start() => _thread.Start();

    /// <summary>Asks for a prompt sync (a key's availability changed).</summary>
    public void Signal()
    {
        Volatile.Write(ref _prompt, 1);
        Wake();
    }

    /// <summary>Ends the loop and waits (up to <paramref name="wait"/>) for a sync in progress to finish.</summary>
    /// <returns>Whether the loop ended in time.</returns>
    public bool Stop(TimeSpan wait)
    {
        _stop.Cancel();
        if (Thread.CurrentThread == _thread || !_thread.IsAlive)
        {
            // Called from a handler the loop itself runs: it ends when that handler returns.
            return true;
        }

        return _thread.Join(wait);
    }

    /// <summary>Releases the loop's handles; call after <see cref="Stop"/>.</summary>
    public void Dispose()
    {
        if (_thread.IsAlive)
        {
            // A sync outlasted Stop's wait: the thread still uses these; it ends at its next wait, and they are left to the GC.
            return;
        }

        _stop.Dispose();
        _wake.Dispose();
    }

    private void Run()
    {
        var token = _stop.Token;
        using var tick = _time.CreateTimer(static loop => ((StoreSyncLoop)loop!).Wake(), this, _interval, _interval);
        try
        {
            while (true)
            {
                _wake.Wait(token);
                if (Interlocked.Exchange(ref _prompt, 0) == 1)
                {
                    Pause(token);
                }

                SyncOnce();

                // The next periodic sync is one interval after this one, as when the loop awaited a fresh delay.
                tick.Change(_interval, _interval);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped: the owner runs the final sync.
        }
    }

    private void SyncOnce()
    {
        try
        {
            _sync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _failed(e);
        }
    }

    /// <summary>Waits <see cref="Coalesce"/> on the pool's clock, or until stopped (then throws <see cref="OperationCanceledException"/>).</summary>
    private void Pause(CancellationToken token) => Task.Delay(Coalesce, _time, token).GetAwaiter().GetResult();

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already awake.
        }
        catch (ObjectDisposedException)
        {
            // Disposed meanwhile (a timer's last tick).
        }
    }
}
