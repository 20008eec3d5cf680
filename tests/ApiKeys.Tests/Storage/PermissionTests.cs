using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Storage;

/// <summary>A store the process may read but not write: the seed's message, the pool keeps working, the write is retried.</summary>
public class PermissionTests
{
    private const int Nobody = 65534;

    [Fact]
    public void Save_PermissionDenied_SeedMessageAndPoolKeepsWorking_ThenRetrySucceeds()
    {
        using var dir = new TempDirectory();
        string store = Path.Combine(dir.Path, "store");
        using (var setup = ApiKeyManager.Open(store))
        {
            setup.AddKey(TestKeys.Gemini(1));
            setup.Flush();
        }

        bool root = Environment.UserName == "root" || Environment.GetEnvironmentVariable("USER") == "root";
        // Readable by everyone, writable by the owner only: as root the worker drops to nobody; otherwise the
        // directory is made read-only for ourselves.
        const UnixFileMode ReadOnlyDir = UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(dir.Path, ReadOnlyDir | UnixFileMode.UserWrite);
        File.SetUnixFileMode(store, root ? ReadOnlyDir | UnixFileMode.UserWrite : ReadOnlyDir);
        foreach (var file in Directory.GetFiles(store))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.GroupRead);
        }

        using var worker = Worker.Start(root ? Nobody : null, "denied", store);
        string states = worker.StandardOutput.ReadLine() ?? "";
        string keys = worker.StandardOutput.ReadLine() ?? "";
        string still = worker.StandardOutput.ReadLine() ?? "";
        File.SetUnixFileMode(store, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute);
        foreach (var file in Directory.GetFiles(store))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite);
        }

        worker.StandardInput.WriteLine("GO");
        string retried = worker.StandardOutput.ReadLine() ?? "";
        string errors = worker.StandardError.ReadToEnd();
        worker.WaitForExit();

        Assert.True(worker.ExitCode == 0, errors);
        Assert.Equal($"STATES Failed to save key states: Permission denied ({Path.Combine(store, ".apikeys.lock")})", states);
        Assert.StartsWith("KEYS Added Failed to save keys: Permission denied (", keys, StringComparison.Ordinal);
        Assert.Equal("STILL WORKS", still);
        Assert.Equal("RETRIED", retried);
        using var reopened = ApiKeyManager.Open(store);
        Assert.Equal(2, reopened.Count);
        Assert.Equal(1, reopened.GetStatuses()[0].State.TotalSuccesses);
    }
}
