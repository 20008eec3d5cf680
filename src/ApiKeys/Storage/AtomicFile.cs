namespace ApiKeys.Storage;

/// <summary>
/// Crash-safe writes: a temp file in the same directory created 0600, flushed to disk, renamed over the
/// target, the directory flushed. A process killed at any point leaves either the old file or the new one.
/// </summary>
internal static class AtomicFile
{
    public const string TempSuffix = ".tmp";

    /// <exception cref="KeyStoreException">
    /// The write failed. When only the flush of the directory failed, the new file is in place (readers see it) but may not
    /// survive a power cut: <see cref="KeyStoreException.Committed"/> says so.
    /// </exception>
    public static void Write(string path, ReadOnlySpan<byte> content)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        bool committed = false;
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                BufferSize = 0,
            };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
            committed = true;
            if (NativeFile.IsSupported)
            {
                NativeFile.FsyncDirectory(directory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (!committed)
            {
                TryDelete(temp);
                if (Directory.Exists(path))
                {
                    throw StoreFile.NotAFile(path, e);
                }
            }

            var kind = e is UnauthorizedAccessException || e.InnerException is UnauthorizedAccessException ? KeyStoreErrorKind.PermissionDenied : KeyStoreErrorKind.Io;
            string reason = kind == KeyStoreErrorKind.PermissionDenied ? "Permission denied" : e.Message;
            if (committed)
            {
                reason = $"the directory could not be flushed to disk ({reason}): the new file may not survive a power cut";
            }

            throw new KeyStoreException($"Failed to save {Describe(path)}: {reason} ({path})", path, kind, innerException: e, reason: reason) { Committed = committed };
        }
    }

    /// <summary>Removes temp files left by writers that died mid-write (call with the store lock held).</summary>
    public static int CleanStale(string directory, string fileName)
    {
        int removed = 0;
        try
        {
            foreach (var temp in Directory.EnumerateFiles(directory, $".{fileName}.*{TempSuffix}"))
            {
                if (TryDelete(temp))
                {
                    removed++;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a stale temp file harms nothing.
        }

        return removed;
    }

    internal static string Describe(string path) =>
        Path.GetFileName(path).Contains("state", StringComparison.OrdinalIgnoreCase) ? "key states" : "keys";

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
