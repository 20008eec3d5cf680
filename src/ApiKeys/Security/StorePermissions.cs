namespace ApiKeys.Security;

/// <summary>
/// Who can read a store: the directory should be 0700 and its files 0600 (the store creates them so). A tool refuses a
/// store the group or others can read unless told otherwise.
/// </summary>
public static class StorePermissions
{
    /// <summary>The permission bits of the group and others.</summary>
    public const UnixFileMode GroupOrOthers = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The directory and the files in it (not the lock file) that the group or others can read or write; empty on Windows.</summary>
    /// <param name="directory">The store directory.</param>
    /// <returns>Each exposed path with its mode in octal, e.g. <c>/srv/keys/api_keys.json (0644)</c>.</returns>
    public static IReadOnlyList<string> FindExposed(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var exposed = new List<string>();
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory))
        {
            return exposed;
        }

        Check(directory, exposed);
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (Path.GetFileName(file) != Storage.JsonKeyStore.LockFileName)
            {
                Check(file, exposed);
            }
        }

        return exposed;
    }

    /// <summary>Sets the directory to 0700 and its files to 0600 (the owner's bits are kept); does nothing on Windows.</summary>
    /// <param name="directory">The store directory.</param>
    public static void Restrict(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory))
        {
            return;
        }

        File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) & ~GroupOrOthers);
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            File.SetUnixFileMode(file, File.GetUnixFileMode(file) & ~GroupOrOthers);
        }
    }

    private static void Check(string path, List<string> exposed)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & GroupOrOthers) != 0)
        {
            exposed.Add($"{path} ({Convert.ToString((int)mode & 0x1ff, 8).PadLeft(4, '0')})");
        }
    }
}
