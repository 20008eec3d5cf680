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

    [Fact]
    public void FindExposed_BesideAWritingProcess_TempFilesVanishingAreNoError()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var dir = new TempDirectory();
        File.SetUnixFileMode(dir.Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using (var setup = ApiKeyManager.Open(dir.Path))
        {
            setup.AddKey(TestKeys.Gemini(1));
        }

        using var writer = Worker.Start("churn", dir.Path);
        try
        {
            Assert.Equal("READY", writer.StandardOutput.ReadLine());

            // Until the check has run many times while the writer's temp files came and went (each is renamed away
            // within a write), every check must succeed.
            int checks = 0, withTempFiles = 0;
            while (withTempFiles < 50 && checks < 500_000)
            {
                var exposed = StorePermissions.FindExposed(dir.Path);
                Assert.Empty(exposed);
                checks++;
                if (Directory.GetFiles(dir.Path, "*.tmp").Length > 0)
                {
                    withTempFiles++;
                }
            }

            Assert.True(withTempFiles >= 50, $"the writer's temp files were seen in only {withTempFiles} of {checks} checks");
        }
        finally
        {
            writer.Kill();
            writer.WaitForExit();
        }
    }
}
