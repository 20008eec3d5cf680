using ApiKeys.Storage;
using ApiKeys.Tests.Support;
using Microsoft.Extensions.Options;

namespace ApiKeys.Tests.Storage;

/// <summary>The store's options are checked when the store is built (DI start: ApiKeysServiceCollectionExtensionsTests).</summary>
public class JsonKeyStoreOptionsTests
{
    [Fact]
    public void Constructor_Defaults_Accepted()
    {
        using var dir = new TempDirectory();

        var store = new JsonKeyStore(dir.Path, new JsonKeyStoreOptions());

        Assert.Equal(dir.File(JsonKeyStore.KeysFileName), store.KeysPath);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(2L * 1024 * 1024 * 1024)]
    public void Constructor_MaxFileBytesOutOfRange_ThrowsNamingOptionAndRange(long bytes)
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<OptionsValidationException>(() => new JsonKeyStore(dir.Path, new JsonKeyStoreOptions { MaxFileBytes = bytes }));

        var failure = Assert.Single(e.Failures);
        Assert.Contains("MaxFileBytes", failure, StringComparison.Ordinal);
        Assert.Contains("between 1 and 1073741824 bytes", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../api_keys.json")]
    [InlineData("sub/api_keys.json")]
    [InlineData("..")]
    [InlineData(JsonKeyStore.LockFileName)]
    public void Constructor_KeysFileNameNotAFileOfTheDirectory_Throws(string name)
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<OptionsValidationException>(() => new JsonKeyStore(dir.Path, new JsonKeyStoreOptions { KeysFileName = name }));

        Assert.Contains("KeysFileName", Assert.Single(e.Failures), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(dir.Path));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void Constructor_StatesFileNameEmpty_ThrowsRequired(string name)
    {
        using var dir = new TempDirectory();

        var e = Assert.Throws<OptionsValidationException>(() => new JsonKeyStore(dir.Path, new JsonKeyStoreOptions { StatesFileName = name }));

        Assert.Contains("StatesFileName", Assert.Single(e.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_SameNameForBothFiles_Throws()
    {
        using var dir = new TempDirectory();
        var options = new JsonKeyStoreOptions { KeysFileName = "keys.json", StatesFileName = "keys.json" };

        var e = Assert.Throws<OptionsValidationException>(() => new JsonKeyStore(dir.Path, options));

        Assert.Contains("StatesFileName", Assert.Single(e.Failures), StringComparison.Ordinal);
    }
}
