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

    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD();

    /// <summary>Opens (creating, mode 0600) and exclusively locks <paramref name="path"/>; blocks until the lock is free.</summary>
    public static int LockFile(string path)
    {
        int flags = ORdWr | (OperatingSystem.IsLinux() ? OCreat | OCloExec : 0x200 /* O_CREAT on BSD */ | 0x1000000 /* O_CLOEXEC */);
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

    /// <summary>Flushes a directory's entries (a rename in it) to disk.</summary>
    public static void FsyncDirectory(string directory)
    {
        int fd = Open(directory, ORdOnly | (OperatingSystem.IsLinux() ? OCloExec : 0), 0);
        if (fd < 0)
        {
            return;
        }

        _ = Fsync(fd);
        _ = Close(fd);
    }

    private static IOException Error(int errno, string path) => errno switch
    {
        13 or 1 => new UnauthorizedAccessException($"Permission denied ({path})") is var u ? new IOException(u.Message, u) : null!,
        _ => new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} ({path})"),
    };

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
