using ApiKeys.Security;

namespace ApiKeys.Cli.Checks;

/// <summary>
/// <c>doctor --fix</c>: takes the group's and others' access away (<see cref="StorePermissions.Restrict"/>: the
/// directory 0700, its files 0600, never through a symbolic link) and names each path it changed or left as it is.
/// </summary>
internal static class ModeFix
{
    public static void Run(CliContext context, string dir)
    {
        var report = StorePermissions.Restrict(dir);
        foreach (var change in report.Changed)
        {
            context.Error.WriteLine($"apikeys: restricting {change.Path} ({Octal(change.Before)} -> {Octal(change.After)})");
        }

        foreach (var left in report.Left)
        {
            context.Error.WriteLine(left switch
            {
                { LinkTarget: { } target } when left.Path == dir =>
                    $"apikeys: left {dir} and its files as they are: it is a symbolic link to {target} (doctor --fix never changes modes through a link); fix: apikeys doctor --fix --dir {target}",
                { LinkTarget: { } target } =>
                    $"apikeys: left {left.Path} as it is: it is a symbolic link to {target} (doctor --fix never changes modes through a link)",
                _ => $"apikeys: left {left.Path} as it is: {left.Reason}",
            });
        }
    }

    /// <summary>Where <paramref name="path"/> points when it is a symbolic link; null otherwise.</summary>
    public static string? LinkTarget(string path) =>
        new FileInfo(Path.TrimEndingDirectorySeparator(path)).LinkTarget;

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}
