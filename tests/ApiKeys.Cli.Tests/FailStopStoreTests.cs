using ApiKeys.Cli.Tests.Support;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Tests;

public sealed class FailStopStoreTests
{
    private const int EIO = 5;

    [Fact]
    public void AddKey_WriteFailedThenItsCauseRemoved_NeverWrittenLater()
    {
        // The store creates its directory at the first write and flushes its parent: that flush fails once (EIO), a
        // failure the pool keeps in memory (SaveError) and retries at Flush and Dispose, when the disk is fine again.
        using var parent = new TempDirectory();
        string dir = parent.File("store");
        var store = new FailStopStore(new JsonKeyStore(dir));
        int flushes = 0;
        string? saveError;
        using (var manager = new ApiKeyManager(store))
        {
            NativeFile.DirectoryFlushHook.Value = _ => Interlocked.Increment(ref flushes) == 1 ? EIO : 0;
            try
            {
                saveError = manager.AddKey(TestKeys.Gemini(1)).SaveError;
                Assert.Throws<KeyStoreException>(manager.Flush);
            }
            finally
            {
                NativeFile.DirectoryFlushHook.Value = null;
            }
        }

        Assert.NotNull(saveError);
        Assert.Equal(1, flushes);
        Assert.Same(store.Failure, Assert.Throws<KeyStoreException>(() => store.UpdateKeys(_ => null)));
        Assert.False(File.Exists(Path.Combine(dir, JsonKeyStore.KeysFileName)));
    }

    [Fact]
    public void Load_AfterAFailedWrite_StillReads()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        Directory.CreateDirectory(dir.File(JsonKeyStore.LockFileName));
        using var store = new FailStopStore(new JsonKeyStore(dir.Path));

        Assert.Throws<KeyStoreException>(() => store.UpdateKeys(keys => new KeysUpdate(keys)));
        var snapshot = store.Load();

        Assert.Equal([TestKeys.Ynqs], snapshot.Keys!.Select(k => k.Secret));
    }
}
