namespace ApiKeys.Storage;

/// <summary>
/// The store's lock file (<c>.apikeys.lock</c>, never renamed), held around every read-modify-write so several
/// processes share one directory without lost updates. A process that dies releases it with its descriptors.
/// </summary>
internal sealed class StoreLock : IDisposable
{
    private readonly int _fd = -1;
    private readonly FileStream? _stream;

    private StoreLock(int fd, FileStream? stream)
    {
        _fd = fd;
        _stream = stream;
    }

    public static StoreLock Acquire(string path, string what)
    {
        if (NativeFile.IsSupported)
        {
            try
            {
                return new StoreLock(NativeFile.LockFile(path), null);
            }
            catch (IOException e) when (NativeFile.IsSymbolicLink(e))
            {
                throw SymbolicLink(path, e);
            }
            catch (IOException e) when (NativeFile.IsDirectory(e))
            {
                throw StoreFile.NotAFile(path, e);
            }
            catch (IOException e) when (e.InnerException is UnauthorizedAccessException)
            {
                throw new KeyStoreException($"Failed to save {what}: Permission denied ({path})", path, KeyStoreErrorKind.PermissionDenied, innerException: e,
                    reason: "Permission denied");
            }
            catch (IOException e)
            {
                string reason = $"cannot lock the store: {e.Message}";
                throw new KeyStoreException($"Failed to save {what}: {reason}", path, KeyStoreErrorKind.Io, innerException: e, reason: reason);
            }
        }

        if (new FileInfo(path).LinkTarget is not null)
        {
            throw SymbolicLink(path, null);
        }

        // Elsewhere: an exclusive open, retried while another process holds it.
        var spin = default(SpinWait);
        while (true)
        {
            try
            {
                return new StoreLock(-1, new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (UnauthorizedAccessException e)
            {
                throw new KeyStoreException($"Failed to save {what}: Permission denied ({path})", path, KeyStoreErrorKind.PermissionDenied, innerException: e,
                    reason: "Permission denied");
            }
            catch (IOException)
            {
                spin.SpinOnce(sleep1Threshold: 10);
            }
        }
    }

    private static KeyStoreException SymbolicLink(string path, Exception? innerException) =>
        new($"{path} is a symbolic link: the store's lock file must be a file of its own in the store directory, not a link to one elsewhere; remove the link (the store creates the file).",
            path, KeyStoreErrorKind.NotAFile, innerException: innerException, reason: "the lock file is a symbolic link");

    public void Dispose()
    {
        if (_fd >= 0)
        {
            NativeFile.Unlock(_fd);
        }

        _stream?.Dispose();
    }
}
