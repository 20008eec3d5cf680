namespace ApiKeys.TestSupport;

/// <summary>
/// A copy of the test output that other users can read, for the tests that run a program as another user (setpriv):
/// the checkout may sit under a directory only its owner can enter (a CI clone in a private temp directory).
/// </summary>
internal static class StagedBinaries
{
    private const UnixFileMode Directories = (UnixFileMode)0b111_101_101; // 0755
    private const UnixFileMode Files = (UnixFileMode)0b110_100_100;       // 0644
    private static readonly Lazy<string> Staged = new(Stage);

    /// <summary>The staged copy of <paramref name="file"/> (a file of the test output).</summary>
    public static string PathOf(string file) => Path.Combine(Staged.Value, file);

    private static string Stage()
    {
        string root = Path.Combine(Path.GetTempPath(), "apikeys-tests");
        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, Directories);
        string target = Path.Combine(root, "bin-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(target);
        File.SetUnixFileMode(target, Directories);
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory))
        {
            if (file.EndsWith(".dll", StringComparison.Ordinal) || file.EndsWith(".json", StringComparison.Ordinal))
            {
                string copy = Path.Combine(target, Path.GetFileName(file));
                File.Copy(file, copy);
                File.SetUnixFileMode(copy, Files);
            }
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(target, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return target;
    }
}
