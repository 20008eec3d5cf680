using ApiKeys.Security;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Security;

public class StorePermissionsTests
{
    private const int Nobody = 65534;

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
    public void Restrict_ExposedDirectoryAndFiles_EachChangeReportedWithItsModes()
    {
        using var dir = new TempDirectory();
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
        string keys = dir.File(JsonKeyStore.KeysFileName), states = dir.File(JsonKeyStore.StatesFileName), lockFile = dir.File(JsonKeyStore.LockFileName);
        Write(keys, 0b110_100_100);
        Write(states, 0b110_000_000);
        Write(lockFile, 0b110_110_110);
        Directory.CreateDirectory(dir.File("sub"));

        var report = StorePermissions.Restrict(dir.Path);

        Assert.Equal(new ModeChange(dir.Path, (UnixFileMode)0b111_101_101, (UnixFileMode)0b111_000_000), report.Changed[0]);
        Assert.Equal(
            [new ModeChange(lockFile, (UnixFileMode)0b110_110_110, (UnixFileMode)0b110_000_000), new ModeChange(keys, (UnixFileMode)0b110_100_100, (UnixFileMode)0b110_000_000)],
            report.Changed.Skip(1).OrderBy(c => c.Path, StringComparer.Ordinal));
        Assert.Empty(report.Left);
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(keys));
        Assert.Empty(StorePermissions.FindExposed(dir.Path));
    }

    [Fact]
    public void Restrict_LinkToAFileOutsideTheStore_TargetUntouchedAndReported()
    {
        using var dir = new TempDirectory();
        using var outside = new TempDirectory();
        string target = outside.File("shared.txt");
        Write(target, 0b110_100_100);
        string link = dir.File("api_keys_2026-01-01.json");
        File.CreateSymbolicLink(link, target);

        var report = StorePermissions.Restrict(dir.Path);

        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(target));
        Assert.Equal([new ModeLeft(link, $"a symbolic link to {target}", target)], report.Left);
        Assert.DoesNotContain(report.Changed, c => c.Path == link);
    }

    [Fact]
    public void Restrict_DirectoryIsALink_NothingChangedThroughIt()
    {
        using var parent = new TempDirectory();
        string real = parent.File("real");
        Directory.CreateDirectory(real);
        File.SetUnixFileMode(real, (UnixFileMode)0b111_101_101);
        Write(Path.Combine(real, JsonKeyStore.KeysFileName), 0b110_100_100);
        string link = parent.File("link");
        Directory.CreateSymbolicLink(link, real);

        var report = StorePermissions.Restrict(link);

        Assert.Empty(report.Changed);
        Assert.Equal([new ModeLeft(link, $"a symbolic link to {real}", real)], report.Left);
        Assert.Equal((UnixFileMode)0b111_101_101, File.GetUnixFileMode(real));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(Path.Combine(real, JsonKeyStore.KeysFileName)));
    }

    [Fact]
    public void Restrict_FileOfAnotherUser_LeftWithTheReasonOthersChanged()
    {
        // Root may change any mode: the worker runs as nobody on nobody's store, which holds one file of root's.
        Assert.True(Environment.UserName == "root" && File.Exists("/usr/bin/setpriv"), "this test runs the worker as nobody: run it as root with setpriv installed");
        using var dir = new TempDirectory();
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0b111_101_101);
        string store = dir.File("store");
        Directory.CreateDirectory(store);
        File.SetUnixFileMode(store, (UnixFileMode)0b111_101_101);
        string rootsFile = Path.Combine(store, JsonKeyStore.KeysFileName), ownFile = Path.Combine(store, JsonKeyStore.StatesFileName);
        Write(rootsFile, 0b110_100_100);
        Write(ownFile, 0b110_100_100);
        Chown(Nobody, store, ownFile);

        using var worker = Worker.Start(Nobody, "restrict", store);
        string output = worker.StandardOutput.ReadToEnd();
        string errors = worker.StandardError.ReadToEnd();
        worker.WaitForExit();

        Assert.True(worker.ExitCode == 0, errors);
        Assert.Equal(
            $"CHANGED {store} 755 700\nCHANGED {ownFile} 644 600\nLEFT {rootsFile} Permission denied: only its owner (or root) may change its mode\n",
            output);
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(rootsFile));
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

    private static void Write(string path, int mode)
    {
        File.WriteAllText(path, "[]");
        File.SetUnixFileMode(path, (UnixFileMode)mode);
    }

    private static void Chown(int uid, params string[] paths)
    {
        var start = new System.Diagnostics.ProcessStartInfo("chown") { ArgumentList = { $"{uid}:{uid}" } };
        foreach (var path in paths)
        {
            start.ArgumentList.Add(path);
        }

        using var chown = System.Diagnostics.Process.Start(start)!;
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }
}
