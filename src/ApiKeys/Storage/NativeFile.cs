using System.Runtime.InteropServices;

namespace ApiKeys.Storage;

/// <summary>The few POSIX calls .NET does not expose: an advisory lock that blocks, and fsync of a directory.</summary>
internal static partial class NativeFile
{
    private const int LockEx = 2;
    private const int LockUn = 8;
    private const int ORdOnly = 0;
    private const int ORdWr = 2;
    private const int OCreat = 0x40;
    private const int OCloExec = 0x80000;
    private const int EIntr = 4;
    private const int EInval = 22;

    // O_NOFOLLOW: Linux's generic value, its own on ARM and PowerPC; the BSDs' (macOS too).
    private static readonly int NoFollow = !OperatingSystem.IsLinux() ? 0x100
        : RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64 or Architecture.Ppc64le ? 0x8000 : 0x20000;

    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    /// <summary>
    /// Opens (creating, mode 0600) and exclusively locks <paramref name="path"/>; blocks until the lock is free. A symbolic
    /// link is not followed (<c>O_NOFOLLOW</c>): the lock file is the store's own, never a file elsewhere.
    /// </summary>
    /// <exception cref="IOException">It cannot be opened or locked; <see cref="IsSymbolicLink"/> and <see cref="IsDirectory"/> tell two causes apart.</exception>
    public static int LockFile(string path)
    {
        int flags = ORdWr | NoFollow | (OperatingSystem.IsLinux() ? OCreat | OCloExec : 0x200 /* O_CREAT on BSD */ | 0x1000000 /* O_CLOEXEC */);
        int fd;
        do
        {
            fd = Open(path, flags, Convert.ToInt32("600", 8));
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EIntr);

        if (fd < 0)
        {
            throw Error(Marshal.GetLastPInvokeError(), path);
        }

        int rc;
        do
        {
            rc = Flock(fd, LockEx);
        }
        while (rc != 0 && Marshal.GetLastPInvokeError() == EIntr);

        if (rc != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            _ = Close(fd);
            throw Error(errno, path);
        }

        return fd;
    }

    public static void Unlock(int fd)
    {
        _ = Flock(fd, LockUn);
        _ = Close(fd);
    }

    /// <summary>
    /// Test seam: called with the directory before each directory flush; a non-zero result fails the flush with that errno,
    /// as if <c>fsync</c> had returned it. Flows with the caller's execution context only, so tests run side by side.
    /// </summary>
    internal static readonly AsyncLocal<Func<string, int>?> DirectoryFlushHook = new();

    /// <summary>Flushes a directory's entries (a rename or a new entry in it) to disk.</summary>
    /// <exception cref="IOException">The directory cannot be opened, or the flush failed: what it holds may not survive a power cut.</exception>
    public static void FsyncDirectory(string directory)
    {
        int injected = DirectoryFlushHook.Value?.Invoke(directory) ?? 0;
        if (injected != 0)
        {
            throw Error(injected, path: null);
        }

        int fd;
        do
        {
            fd = Open(directory, ORdOnly | (OperatingSystem.IsLinux() ? OCloExec : 0), 0);
        }
        while (fd < 0 && Marshal.GetLastPInvokeError() == EIntr);

        if (fd < 0)
        {
            throw Error(Marshal.GetLastPInvokeError(), path: null);
        }

        int rc;
        do
        {
            rc = Fsync(fd);
        }
        while (rc != 0 && Marshal.GetLastPInvokeError() == EIntr);

        int errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        _ = Close(fd);

        // EINVAL: the file system cannot flush a directory at all (nothing to wait for); any other error is a failed write.
        if (rc != 0 && errno != EInval)
        {
            throw Error(errno, path: null);
        }
    }

    /// <summary>Whether <paramref name="e"/> is an open refused because the path is a symbolic link (ELOOP under <c>O_NOFOLLOW</c>).</summary>
    public static bool IsSymbolicLink(IOException e) => e.HResult == (OperatingSystem.IsLinux() ? 40 : 62);

    /// <summary>Whether <paramref name="e"/> is an open refused because the path is a directory (EISDIR).</summary>
    public static bool IsDirectory(IOException e) => e.HResult == 21;

    /// <summary>An errno as an exception: permission errors wrap an <see cref="UnauthorizedAccessException"/>; the path in the message unless null.</summary>
    private static IOException Error(int errno, string? path)
    {
        string what = errno is 13 or 1 ? "Permission denied" : Marshal.GetPInvokeErrorMessage(errno);
        string message = path is null ? what : $"{what} ({path})";
        var e = errno is 13 or 1 ? new IOException(message, new UnauthorizedAccessException(message)) : new IOException(message);
        e.HResult = errno;
        return e;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
