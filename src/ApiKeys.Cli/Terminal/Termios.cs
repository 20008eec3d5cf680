using System.Runtime.InteropServices;

namespace ApiKeys.Cli.Terminal;

/// <summary>
/// Turns terminal echo off and on (what Python's getpass does). Echo goes off before the prompt is written, so
/// nothing typed after the prompt appears, and comes back in a finally block and on Ctrl-C.
/// </summary>
internal static unsafe partial class Termios
{
    // struct termios: Linux has 4-byte flags (c_lflag at byte 12), macOS 8-byte ones (c_lflag at byte 24).
    private const int BufferSize = 256;
    private const int TcsaNow = 0;
    private const uint Echo = 0x8;

    private static readonly Lock Gate = new();
    private static byte[]? _saved;

    /// <summary>Whether echo can be switched here.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>Whether <paramref name="fd"/> is a terminal.</summary>
    public static bool IsTerminal(int fd) => IsSupported && IsAtty(fd) == 1;

    /// <summary>Turns echo off on standard input; false when it is not a terminal.</summary>
    public static bool DisableEcho()
    {
        if (!IsSupported)
        {
            return false;
        }

        var buffer = new byte[BufferSize];
        fixed (byte* p = buffer)
        {
            if (TcGetAttr(0, p) != 0)
            {
                return false;
            }

            lock (Gate)
            {
                _saved = (byte[])buffer.Clone();
            }

            int offset = OperatingSystem.IsMacOS() ? 24 : 12;
            if (OperatingSystem.IsMacOS())
            {
                ulong* flags = (ulong*)(p + offset);
                *flags &= ~(ulong)Echo;
            }
            else
            {
                uint* flags = (uint*)(p + offset);
                *flags &= ~Echo;
            }

            return TcSetAttr(0, TcsaNow, p) == 0;
        }
    }

    /// <summary>Restores the settings saved by <see cref="DisableEcho"/> (safe to call twice, and from a signal handler).</summary>
    public static void Restore()
    {
        byte[]? saved;
        lock (Gate)
        {
            saved = _saved;
            _saved = null;
        }

        if (saved is null)
        {
            return;
        }

        fixed (byte* p = saved)
        {
            _ = TcSetAttr(0, TcsaNow, p);
        }
    }

    [LibraryImport("libc", EntryPoint = "isatty")]
    private static partial int IsAtty(int fd);

    [LibraryImport("libc", EntryPoint = "tcgetattr")]
    private static partial int TcGetAttr(int fd, byte* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr")]
    private static partial int TcSetAttr(int fd, int optionalActions, byte* termios);
}
