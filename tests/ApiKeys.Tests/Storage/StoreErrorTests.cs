using System.Text;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;
using Microsoft.Extensions.Logging.Testing;

namespace ApiKeys.Tests.Storage;

/// <summary>Store errors that say what is wrong: not "Permission denied" for a directory, not a raw .NET message, not twice the same words.</summary>
public class StoreErrorTests
{
    private const int Nobody = 65534;

    [Theory]
    [InlineData(JsonKeyStore.KeysFileName)]
    [InlineData(JsonKeyStore.StatesFileName)]
    public void Open_DirectoryWhereAFileShouldBe_SaysSo(string name)
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File(name));

        var e = Assert.Throws<KeyStoreException>(() => ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock()));

        Assert.Equal(KeyStoreErrorKind.NotAFile, e.Kind);
        Assert.Equal($"{dir.File(name)} is a directory, where the store keeps a file: move it out of the way; nothing was changed.", e.Message);
    }

    [Fact]
    public void AddKey_LockFileIsADirectory_SaysSoAndAddsNothing()
    {
        using var dir = new TempDirectory();
        using var pool = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        Directory.CreateDirectory(dir.File(JsonKeyStore.LockFileName));

        var e = Assert.Throws<KeyStoreException>(() => pool.AddKey(TestKeys.Gemini(1)));

        Assert.Equal(KeyStoreErrorKind.NotAFile, e.Kind);
        Assert.Contains("is a directory", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File(JsonKeyStore.KeysFileName)));
    }

    [Fact]
    public void AddKey_LockFileIsASymbolicLink_RefusedAndTargetUntouched()
    {
        using var dir = new TempDirectory();
        using var elsewhere = new TempDirectory();
        string target = elsewhere.File("not-the-store");
        File.CreateSymbolicLink(dir.File(JsonKeyStore.LockFileName), target);
        using var pool = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());

        var e = Assert.Throws<KeyStoreException>(() => pool.AddKey(TestKeys.Gemini(1)));

        Assert.Equal(KeyStoreErrorKind.NotAFile, e.Kind);
        Assert.Contains("is a symbolic link", e.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(target), "the link's target was created");
        Assert.False(File.Exists(dir.File(JsonKeyStore.KeysFileName)));
    }

    [Fact]
    public void Open_Utf8ByteOrderMark_Accepted()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(JsonKeyStore.KeysFileName), $"[\"{TestKeys.Gemini(1)}\"]", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        File.WriteAllText(dir.File(JsonKeyStore.StatesFileName), $"{{\"{TestKeys.Gemini(1)}\": {{\"failures\": 2}}}}", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        using var pool = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());

        Assert.Equal(1, pool.Count);
        Assert.Equal(2, pool.GetStatus(TestKeys.Gemini(1))!.State.Failures);
    }

    [Theory]
    [InlineData(true, "UTF-16 encoded")]
    [InlineData(false, "UTF-16 (without a byte order mark) encoded")]
    public void Open_Utf16File_NamesTheEncoding(bool byteOrderMark, string expected)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(JsonKeyStore.KeysFileName), $"[\"{TestKeys.Gemini(1)}\"]", new UnicodeEncoding(bigEndian: false, byteOrderMark));
        byte[] before = File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName));

        var e = Assert.Throws<KeyStoreException>(() => ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock()));

        Assert.Contains($"the file is {expected}; the store reads UTF-8: save it as UTF-8", e.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(dir.File(JsonKeyStore.KeysFileName)));
    }

    [Fact]
    public void SaveError_WriteFails_OnePrefixAndOnePath()
    {
        using var dir = new TempDirectory();
        var logger = new FakeLogger<ApiKeyManager>();
        using var pool = ApiKeyManager.Open(dir.Path, logger: logger, timeProvider: Pools.Clock());
        NativeFile.DirectoryFlushHook.Value = _ => 5;
        string? saveError;
        try
        {
            saveError = pool.AddKey(TestKeys.Gemini(1)).SaveError;
        }
        finally
        {
            NativeFile.DirectoryFlushHook.Value = null;
        }

        string path = dir.File(JsonKeyStore.KeysFileName);
        string expected = $"Failed to save keys: the directory could not be flushed to disk (Input/output error): the new file may not survive a power cut ({path})";
        Assert.Equal(expected, saveError);
        Assert.Equal(expected, logger.Collector.GetSnapshot().Single(r => r.Id.Name == "StoreSaveFailed").Message);
    }

    [Fact]
    public void Open_MissingDirectory_ReadingCreatesNothing()
    {
        using var dir = new TempDirectory();
        string missing = Path.Combine(dir.Path, "no", "such", "store");

        using (var pool = ApiKeyManager.Open(missing, timeProvider: Pools.Clock()))
        {
            Assert.Equal(0, pool.Count);
            Assert.Empty(pool.GetStatuses());
            pool.Flush();
        }

        Assert.False(Directory.Exists(Path.Combine(dir.Path, "no")));
    }

    [Fact]
    public void Open_MissingDirectoryNotToBeCreated_NotFound()
    {
        using var dir = new TempDirectory();
        string missing = Path.Combine(dir.Path, "typo");
        var options = new JsonKeyStoreOptions { CreateDirectory = false };

        var load = Assert.Throws<KeyStoreException>(() => new JsonKeyStore(missing, options).Load());
        var write = Assert.Throws<KeyStoreException>(() => new JsonKeyStore(missing, options).UpdateKeys(keys => new KeysUpdate([.. keys, new(TestKeys.Gemini(1), Pools.Start)])));

        Assert.Equal(KeyStoreErrorKind.NotFound, load.Kind);
        Assert.Equal($"{missing}: the store directory does not exist; nothing was read or written.", load.Message);
        Assert.Equal(KeyStoreErrorKind.NotFound, write.Kind);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public void Open_DirectoryTheUserCannotEnter_StoreErrorsNotRawMessages()
    {
        using var dir = new TempDirectory();
        string store = Path.Combine(dir.Path, "store");
        using (var setup = ApiKeyManager.Open(store))
        {
            setup.AddKey(TestKeys.Gemini(1));
        }

        bool root = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";

        // Listable but not enterable: as root, by nobody through the others' bits; otherwise by ourselves.
        File.SetUnixFileMode(store, root ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead : UnixFileMode.UserRead | UnixFileMode.UserWrite);
        try
        {
            using var worker = Worker.Start(root ? Nobody : null, "open", store);
            string output = worker.StandardOutput.ReadToEnd();
            string errors = worker.StandardError.ReadToEnd();
            worker.WaitForExit();

            Assert.True(worker.ExitCode == 0, errors);
            var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(2, lines.Length);
            Assert.All(lines, l => Assert.StartsWith("STORE PermissionDenied ", l, StringComparison.Ordinal));
            Assert.Equal($"STORE PermissionDenied Cannot enter the store directory {store}: Permission denied; its owner needs to read and enter it (chmod u+rwx).", lines[0]);
        }
        finally
        {
            File.SetUnixFileMode(store, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
