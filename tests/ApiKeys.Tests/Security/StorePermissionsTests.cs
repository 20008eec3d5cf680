using ApiKeys.Security;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Security;

public class StorePermissionsTests
{
    [Fact]
    public void FindExposed_WorldReadableFile_ListedThenRestricted()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDirectory();
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        string keys = dir.File(JsonKeyStore.KeysFileName);
        File.WriteAllText(keys, "[]");
        File.SetUnixFileMode(keys, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var exposed = StorePermissions.FindExposed(dir.Path);
        StorePermissions.Restrict(dir.Path);

        Assert.Equal([$"{keys} (0644)"], exposed);
        Assert.Empty(StorePermissions.FindExposed(dir.Path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys));
    }

    [Fact]
    public void FindExposed_GroupReadableDirectory_Listed()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDirectory();
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);

        var exposed = StorePermissions.FindExposed(dir.Path);

        Assert.Equal([$"{dir.Path} (0750)"], exposed);
    }
}
