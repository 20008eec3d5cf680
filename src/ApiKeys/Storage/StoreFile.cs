namespace ApiKeys.Storage;

/// <summary>Reading a store file whole, with one error for each way it can fail (never a raw .NET exception).</summary>
internal static class StoreFile
{
    /// <summary>The largest file the store reads by default.</summary>
    public const long DefaultMaxBytes = 64L * 1024 * 1024;

    /// <summary>Reads <paramref name="path"/>; null when it (or its directory) does not exist.</summary>
    /// <exception cref="KeyStoreException">Too large, a directory, unreadable.</exception>
    public static byte[]? Read(string path, long maxBytes = DefaultMaxBytes)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
            if (stream.Length > maxBytes)
            {
                throw new KeyStoreException($"{path}: {stream.Length} bytes, larger than the {maxBytes} bytes the store reads; the file was left as it is.",
                    path, KeyStoreErrorKind.TooLarge);
            }

            var bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (UnauthorizedAccessException e)
        {
            // .NET reports a directory opened as a file as "access denied": say what it is, not "chmod".
            throw Directory.Exists(path)
                ? NotAFile(path, e)
                : new KeyStoreException($"Failed to load {AtomicFile.Describe(path)}: Permission denied ({path})", path, KeyStoreErrorKind.PermissionDenied,
                    innerException: e, reason: "Permission denied");
        }
        catch (IOException e) when (e is not KeyStoreException)
        {
            throw new KeyStoreException($"Failed to load {AtomicFile.Describe(path)}: {e.Message} ({path})", path, KeyStoreErrorKind.Io, innerException: e, reason: e.Message);
        }
    }

    /// <summary>The error for a directory found where the store keeps a file.</summary>
    public static KeyStoreException NotAFile(string path, Exception? innerException = null) =>
        new($"{path} is a directory, where the store keeps a file: move it out of the way; nothing was changed.", path, KeyStoreErrorKind.NotAFile,
            innerException: innerException, reason: "a directory where the store keeps a file");
}
