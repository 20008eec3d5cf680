using ApiKeys.Diagnostics;
using ApiKeys.Pool;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;
using Microsoft.Extensions.Logging;

namespace ApiKeys.Tests.Pool;

/// <summary>
/// No user code runs under the pool's locks: event handlers and loggers may call back into the pool, from their own thread or
/// another, without a deadlock. The waits below only bound a deadlock (the calls finish at once when there is none).
/// </summary>
public sealed class LockDisciplineTests
{
    private static readonly TimeSpan DeadlockBound = TimeSpan.FromSeconds(30);

    [Fact]
    public void Flush_StoreFailureLoggedToALoggerThatFlushesFromAnotherThread_NoDeadlockNoLockHeld()
    {
        using var dir = new TempDirectory();
        string store = Path.Combine(dir.Path, "store");
        ApiKeyManager? pool = null;
        bool? lockHeld = null;
        bool finished = false;
        var logger = new CallbackLogger((id, _) =>
        {
            if (id.Id == ApiKeysEventIds.StoreSaveFailed && lockHeld is null)
            {
                lockHeld = pool!.HoldsLock;
                var other = Task.Run(() => Assert.Throws<KeyStoreException>(() => pool.Flush()));
                finished = other.Wait(DeadlockBound);
            }
        });
        pool = new ApiKeyManager(new JsonKeyStore(store), logger: logger);
        pool.AddKey(TestKeys.Gemini(1));
        Directory.CreateDirectory(Path.Combine(store, "api_key_states.json"));
        pool.UpdateKeyStatus(TestKeys.Gemini(1), success: true);

        Assert.Throws<KeyStoreException>(() => pool.Flush());

        Assert.False(lockHeld);
        Assert.True(finished, "the other thread's Flush waited for a lock held while the logger ran");
        Directory.Delete(Path.Combine(store, "api_key_states.json"));
        pool.Dispose();
    }

    [Fact]
    public void KeyChanged_HandlerAddsAKeyFromAnotherThread_NoDeadlockNoLockHeld()
    {
        using var dir = new TempDirectory();
        var time = Pools.Clock();
        using var pool = ApiKeyManager.Open(dir.Path, Pools.NoJitter(), timeProvider: time);
        pool.AddKey(TestKeys.Gemini(1));
        pool.AddKey(TestKeys.Gemini(2));
        var events = new List<(KeyEventKind Kind, bool LockHeld, bool Finished)>();
        pool.KeyChanged += (_, e) =>
        {
            bool held = pool.HoldsLock;
            var other = Task.Run(() => pool.AddKey(TestKeys.Gemini(10 + events.Count)));
            events.Add((e.Kind, held, other.Wait(DeadlockBound)));
        };

        pool.Acquire().Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(1)));
        time.Advance(TimeSpan.FromMinutes(2));
        pool.NextAvailableAt();
        pool.Flush();

        Assert.Equal([KeyEventKind.Cooling, KeyEventKind.Restored], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.False(e.LockHeld));
        Assert.All(events, e => Assert.True(e.Finished, "the other thread's AddKey waited for a lock held while the handler ran"));
        Assert.Equal(4, pool.Count);
    }

    /// <summary>A logger that is user code: it runs <paramref name="onLog"/> for every line.</summary>
    private sealed class CallbackLogger(Action<EventId, string> onLog) : ILogger<ApiKeyManager>
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            onLog(eventId, formatter(state, exception));
    }
}
