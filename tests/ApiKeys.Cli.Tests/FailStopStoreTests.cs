using ApiKeys.Cli.Tests.Support;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Tests;

public sealed class FailStopStoreTests
{
    [Fact]
    public void AddKey_WriteFailedThenItsCauseRemoved_NeverWrittenLater()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File(JsonKeyStore.LockFileName));
        var store = new FailStopStore(new JsonKeyStore(dir.Path));
        string? saveError;
        using (var manager = new ApiKeyManager(store))
        {
            saveError = manager.AddKey(TestKeys.Gemini(1)).SaveError;

            // The pool keeps the key in memory and tries again at Flush and Dispose; the cause is gone by then.
            Directory.Delete(dir.File(JsonKeyStore.LockFileName));
            Assert.Throws<KeyStoreException>(manager.Flush);
        }

        Assert.NotNull(saveError);
        Assert.Same(store.Failure, Assert.Throws<KeyStoreException>(() => store.UpdateKeys(_ => null)));
        Assert.False(File.Exists(dir.File(JsonKeyStore.KeysFileName)));
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
