namespace ApiKeys.Storage;

/// <summary>
/// A store's directory as the store writes it: created at the first write, 0700, with any missing parents (0700 too),
/// each new directory made durable by flushing its parent (a power cut must not lose a directory whose files were
/// acknowledged). A flush that failed is retried before the next write. Not thread-safe: the store's lock is held.
/// </summary>
internal sealed class StoreDirectory(string path)
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    // Directories whose entries may not be on disk yet: parents of directories created, or the store's own after a
    // rename whose flush failed.
    private readonly List<string> _unflushed = [];

    /// <summary>The directory (a full path).</summary>
    public string FullPath { get; } = Path.GetFullPath(path);

    /// <summary>Creates the directory if it is missing, and flushes what an earlier write left unflushed.</summary>
    /// <exception cref="KeyStoreException">It cannot be created, or a flush failed (the write that needed it is a failed write).</exception>
    public void Ensure()
    {
        if (_unflushed.Count == 0 && Directory.Exists(FullPath))
        {
            return;
        }

        try
        {
            foreach (var created in CreateMissing(FullPath))
            {
                MarkUnflushed(Path.GetDirectoryName(created)!);
            }

            while (_unflushed.Count > 0)
            {
                if (NativeFile.IsSupported)
                {
                    NativeFile.FsyncDirectory(_unflushed[0]);
                }

                _unflushed.RemoveAt(0);
            }
        }
        catch (UnauthorizedAccessException e)
        {
            throw new KeyStoreException($"Failed to create the key store: Permission denied ({FullPath})", FullPath, KeyStoreErrorKind.PermissionDenied,
                innerException: e, reason: "Permission denied");
        }
        catch (IOException e) when (e is not KeyStoreException)
        {
            var kind = e.InnerException is UnauthorizedAccessException ? KeyStoreErrorKind.PermissionDenied : KeyStoreErrorKind.Io;
            throw new KeyStoreException($"Failed to create the key store: {e.Message} ({FullPath})", FullPath, kind, innerException: e, reason: e.Message);
        }
    }

    /// <summary>Records that <paramref name="directory"/>'s entries may not be on disk: the next <see cref="Ensure"/> flushes it.</summary>
    public void MarkUnflushed(string directory)
    {
        if (!_unflushed.Contains(directory, StringComparer.Ordinal))
        {
            _unflushed.Add(directory);
        }
    }

    /// <summary>Creates <paramref name="directory"/> and its missing ancestors, outermost first, each 0700.</summary>
    /// <returns>The directories created (one that another process created meanwhile counts too: its parent is flushed again).</returns>
    internal static List<string> CreateMissing(string directory)
    {
        // .NET's CreateDirectory(path, mode) gives missing parents the default mode (0777 less the umask): one level at a time.
        var missing = new Stack<string>();
        for (string? p = directory; p is not null && !Directory.Exists(p); p = Path.GetDirectoryName(p))
        {
            missing.Push(p);
        }

        var created = new List<string>(missing.Count);
        while (missing.TryPop(out var dir))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(dir);
            }
            else
            {
                Directory.CreateDirectory(dir, OwnerOnly);
            }

            created.Add(dir);
        }

        return created;
    }
}
