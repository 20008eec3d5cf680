using ApiKeys.Storage;

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
    /// <remarks>A file that disappears during the check (another process's temp file, renamed meanwhile) is no error: it is skipped.</remarks>
    /// <exception cref="KeyStoreException">The directory cannot be listed (<see cref="KeyStoreErrorKind.PermissionDenied"/>).</exception>
    public static IReadOnlyList<string> FindExposed(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var exposed = new List<string>();
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory))
        {
            return exposed;
        }

        Check(directory, exposed);
        foreach (var file in Files(directory))
        {
            if (Path.GetFileName(file) != JsonKeyStore.LockFileName)
            {
                Check(file, exposed);
            }
        }

        return exposed;
    }

    /// <summary>Sets the directory to 0700 and its files to 0600 (the owner's bits are kept); does nothing on Windows.</summary>
    /// <param name="directory">The store directory.</param>
    /// <exception cref="KeyStoreException">The directory cannot be listed (<see cref="KeyStoreErrorKind.PermissionDenied"/>).</exception>
    public static void Restrict(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory))
        {
            return;
        }

        File.SetUnixFileMode(directory, File.GetUnixFileMode(directory) & ~GroupOrOthers);
        foreach (var file in Files(directory))
        {
            try
            {
                File.SetUnixFileMode(file, File.GetUnixFileMode(file) & ~GroupOrOthers);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                // Gone meanwhile (a temp file renamed by a writer): nothing to restrict.
            }
        }
    }

    /// <summary>The files of the directory, listed at once (a listing that fails says why, not a raw .NET message).</summary>
    private static string[] Files(string directory)
    {
        try
        {
            return Directory.GetFiles(directory);
        }
        catch (UnauthorizedAccessException e)
        {
            throw Denied(Path.GetFullPath(directory), "list", e);
        }
    }

    private static KeyStoreException Denied(string directory, string what, Exception e) =>
        new($"Cannot {what} the store directory {directory}: Permission denied; its owner needs to read and enter it (chmod u+rwx).",
            directory, KeyStoreErrorKind.PermissionDenied, innerException: e, reason: "Permission denied");

    private static void Check(string path, List<string> exposed)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        UnixFileMode mode;
        try
        {
            mode = File.GetUnixFileMode(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Gone since the listing (another process's temp file, renamed into place): not an exposed file.
            return;
        }
        catch (UnauthorizedAccessException e)
        {
            throw Denied(Path.GetDirectoryName(Path.GetFullPath(path))!, "enter", e);
        }

        if ((mode & GroupOrOthers) != 0)
        {
            exposed.Add($"{path} ({Convert.ToString((int)mode & 0x1ff, 8).PadLeft(4, '0')})");
        }
    }
}
