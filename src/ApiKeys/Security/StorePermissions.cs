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

    /// <summary>
    /// Takes the group's and others' access away: the directory to 0700 and its files to 0600 (the owner's bits are kept),
    /// never through a symbolic link. <c>chmod</c> follows links, so a link in the store (or a store directory that is
    /// one) would change a file outside the store: links are reported and left as they are. The directory goes first:
    /// once others cannot write to it, no one but its owner can swap a file for a link meanwhile. Does nothing on Windows.
    /// </summary>
    /// <param name="directory">The store directory.</param>
    /// <returns>The modes changed and the entries left as they were (empty when the directory does not exist).</returns>
    /// <remarks>
    /// A file that disappears meanwhile (another process's temp file, renamed) is skipped. Subdirectories are not the
    /// store's and are left alone.
    /// </remarks>
    /// <exception cref="KeyStoreException">The directory cannot be listed (<see cref="KeyStoreErrorKind.PermissionDenied"/>).</exception>
    public static PermissionReport Restrict(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var changed = new List<ModeChange>();
        var left = new List<ModeLeft>();
        if (OperatingSystem.IsWindows() || !Directory.Exists(directory))
        {
            return new(changed, left);
        }

        if (new FileInfo(Path.TrimEndingDirectorySeparator(directory)).LinkTarget is { } target)
        {
            left.Add(Link(directory, target));
            return new(changed, left);
        }

        RestrictOne(directory, changed, left);
        foreach (var entry in Entries(directory))
        {
            string path = Path.Combine(directory, entry.Name);
            if (entry.LinkTarget is { } linkTarget)
            {
                left.Add(Link(path, linkTarget));
            }
            else if (entry is FileInfo)
            {
                RestrictOne(path, changed, left);
            }
        }

        return new(changed, left);
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void RestrictOne(string path, List<ModeChange> changed, List<ModeLeft> left)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & GroupOrOthers) == 0)
            {
                return;
            }

            File.SetUnixFileMode(path, mode & ~GroupOrOthers);
            changed.Add(new ModeChange(path, mode, mode & ~GroupOrOthers));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Gone meanwhile (a temp file renamed by a writer): nothing to restrict.
        }
        catch (UnauthorizedAccessException)
        {
            left.Add(new ModeLeft(path, "Permission denied: only its owner (or root) may change its mode"));
        }
    }

    private static ModeLeft Link(string path, string target) => new(path, $"a symbolic link to {target}", target);

    /// <summary>The entries of the directory, listed at once, not following links (a listing that fails says why).</summary>
    private static FileSystemInfo[] Entries(string directory)
    {
        try
        {
            return new DirectoryInfo(directory).GetFileSystemInfos();
        }
        catch (UnauthorizedAccessException e)
        {
            throw Denied(Path.GetFullPath(directory), "list", e);
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
