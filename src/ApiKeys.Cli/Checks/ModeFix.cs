using ApiKeys.Security;

namespace ApiKeys.Cli.Checks;

/// <summary>
/// <c>doctor --fix</c>: takes the group's and others' access away (the directory 0700, its files 0600, the owner's bits
/// kept), naming each path it changes, and never through a symbolic link: chmod follows links, so a link in the store
/// (or a store directory that is one) would change a file outside the store. Links are reported and left as they are.
/// </summary>
internal static class ModeFix
{
    public static void Run(CliContext context, string dir)
    {
        if (OperatingSystem.IsWindows() || !Directory.Exists(dir))
        {
            return;
        }

        if (LinkTarget(dir) is { } dirTarget)
        {
            context.Error.WriteLine($"apikeys: left {dir} and its files as they are: it is a symbolic link to {dirTarget} (doctor --fix never changes modes through a link); fix: apikeys doctor --fix --dir {dirTarget}");
            return;
        }

        // The directory first: once others cannot write to it, no one but its owner can swap a file for a link meanwhile.
        Restrict(context, dir);
        foreach (var entry in new DirectoryInfo(dir).EnumerateFileSystemInfos())
        {
            if (entry.LinkTarget is { } target)
            {
                context.Error.WriteLine($"apikeys: left {entry.FullName} as it is: it is a symbolic link to {target} (doctor --fix never changes modes through a link)");
            }
            else if (entry is FileInfo)
            {
                Restrict(context, entry.FullName);
            }
        }
    }

    /// <summary>Where <paramref name="path"/> points when it is a symbolic link; null otherwise.</summary>
    public static string? LinkTarget(string path) =>
        new FileInfo(Path.TrimEndingDirectorySeparator(path)).LinkTarget;

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Restrict(CliContext context, string path)
    {
        var mode = File.GetUnixFileMode(path);
        if ((mode & StorePermissions.GroupOrOthers) == 0)
        {
            return;
        }

        context.Error.WriteLine($"apikeys: restricting {path} ({Octal(mode)} -> {Octal(mode & ~StorePermissions.GroupOrOthers)})");
        File.SetUnixFileMode(path, mode & ~StorePermissions.GroupOrOthers);
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}
