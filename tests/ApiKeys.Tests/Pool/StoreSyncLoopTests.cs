using ApiKeys.Pool;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Pool;

/// <summary>
/// The pool's periodic store sync blocks on the disk (write, fsync): it runs on a thread of its own, never on a
/// thread-pool thread, where it would hold a worker every other caller of the process (a web server's requests) needs.
/// </summary>
public sealed class StoreSyncLoopTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BackgroundSync_WritesOnItsOwnThread_NotOnTheThreadPool(bool prompt)
    {
        using var dir = new TempDirectory();
        var time = Pools.Clock();
        var store = new InterposedStore(new JsonKeyStore(dir.Path, timeProvider: time));
        using var pool = new ApiKeyManager(store, timeProvider: time);
        pool.AddKey(TestKeys.Gemini(1));
        pool.Flush();

        Thread? writer = null;
        using var written = new ManualResetEventSlim();
        store.OnNextSync(() =>
        {
            writer = Thread.CurrentThread;
            written.Set();
        });
        if (prompt)
        {
            // A transition asks the loop for a prompt write.
            pool.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.InvalidKey("revoked"));
        }

        // No Flush: only the loop writes. Its timers run on the (fake) clock, so the clock moves on until it has.
        bool seen = SpinWait.SpinUntil(() =>
        {
            time.Advance(pool.Options.SyncInterval);
            return written.IsSet;
        }, TimeSpan.FromSeconds(30));

        Assert.True(seen, "the loop did not write");
        Assert.NotNull(writer);
        Assert.False(writer.IsThreadPoolThread, "the store's write ran on a thread-pool thread");
        Assert.NotEqual(Environment.CurrentManagedThreadId, writer.ManagedThreadId);
        Assert.Equal("ApiKeys store sync", writer.Name);
    }

    [Fact]
    public void Dispose_AfterTheLoopStarted_WritesWhatIsPending()
    {
        using var dir = new TempDirectory();
        var time = Pools.Clock();
        using (var pool = new ApiKeyManager(new JsonKeyStore(dir.Path, timeProvider: time), timeProvider: time))
        {
            pool.AddKey(TestKeys.Gemini(1));
            pool.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.InvalidKey("revoked"));
        }

        using var reopened = new ApiKeyManager(new JsonKeyStore(dir.Path, timeProvider: time), timeProvider: time);
        Assert.Equal(KeyAvailability.Disabled, reopened.GetStatus(TestKeys.Gemini(1))!.Availability);
    }
}
