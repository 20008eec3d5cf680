using ApiKeys.Pool;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Storage;

/// <summary>
/// What a power cut could undo: a directory the store created (its parent is flushed) and a write whose directory flush
/// failed (a failed write, never reported as done). The flush is a real fsync; the seam only records it or makes it fail.
/// </summary>
public class DurabilityTests
{
    private const int EIO = 5;

    [Fact]
    public void AddKey_CreatesTheStoreAndItsParents_Each0700AndEachParentFlushed()
    {
        using var dir = new TempDirectory();
        string store = Path.Combine(dir.Path, "a", "b", "store");
        var flushed = new List<string>();
        NativeFile.DirectoryFlushHook.Value = d => { lock (flushed) { flushed.Add(d); } return 0; };
        try
        {
            using var pool = ApiKeyManager.Open(store, timeProvider: Pools.Clock());

            var result = pool.AddKey(TestKeys.Gemini(1));

            Assert.Equal(AddKeyStatus.Added, result.Status);
            Assert.Null(result.SaveError);
        }
        finally
        {
            NativeFile.DirectoryFlushHook.Value = null;
        }

        // Each created directory's entry is flushed in its parent, outermost first, then the store's own after the rename.
        string a = Path.Combine(dir.Path, "a"), b = Path.Combine(a, "b");
        Assert.Equal([dir.Path, a, b, store], flushed.Distinct().ToList());
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(a));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(b));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(store));
    }

    [Fact]
    public void AddKey_DirectoryFlushFails_NotReportedAsSavedThenRetried()
    {
        using var dir = new TempDirectory();
        using var pool = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        int calls = 0;
        NativeFile.DirectoryFlushHook.Value = _ => Interlocked.Increment(ref calls) == 1 ? EIO : 0;
        AddKeyResult result;
        try
        {
            result = pool.AddKey(TestKeys.Gemini(1));

            // The retry flushes the directory again before anything else is written.
            pool.Flush();
        }
        finally
        {
            NativeFile.DirectoryFlushHook.Value = null;
        }

        Assert.NotNull(result.SaveError);
        Assert.StartsWith("Failed to save keys: the directory could not be flushed to disk (Input/output error)", result.SaveError, StringComparison.Ordinal);
        Assert.True(calls >= 2, "the failed flush was retried");
        using var reopened = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        Assert.Equal(1, reopened.Count);
    }

    [Fact]
    public void Flush_StatesDirectoryFlushFails_ThrowsButCountsOnce()
    {
        using var dir = new TempDirectory();
        using (var pool = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock()))
        {
            pool.AddKey(TestKeys.Gemini(1));
            pool.UpdateKeyStatus(TestKeys.Gemini(1), success: true);
            NativeFile.DirectoryFlushHook.Value = _ => EIO;
            try
            {
                var e = Assert.Throws<KeyStoreException>(pool.Flush);
                Assert.Equal(KeyStoreErrorKind.Io, e.Kind);
                Assert.Contains("could not be flushed", e.Message, StringComparison.Ordinal);
            }
            finally
            {
                NativeFile.DirectoryFlushHook.Value = null;
            }

            pool.UpdateKeyStatus(TestKeys.Gemini(1), success: true);
            pool.Flush();
            Assert.Equal(2, pool.GetStatus(TestKeys.Gemini(1))!.State.TotalSuccesses);
        }

        // The write that was renamed into place but not flushed is counted once, not merged again by the retry.
        using var reopened = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        Assert.Equal(2, reopened.GetStatus(TestKeys.Gemini(1))!.State.TotalSuccesses);
    }

    [Fact]
    public void FsyncDirectory_DirectoryCannotBeOpened_Throws()
    {
        using var dir = new TempDirectory();

        var e = Assert.ThrowsAny<IOException>(() => NativeFile.FsyncDirectory(Path.Combine(dir.Path, "missing")));

        Assert.Contains("No such file or directory", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FsyncDirectory_RealDirectory_Succeeds()
    {
        using var dir = new TempDirectory();

        NativeFile.FsyncDirectory(dir.Path);
    }
}
