using System.Runtime.InteropServices;

namespace ApiKeys.Cli.Terminal;

/// <summary>
/// Standard output or standard error on Unix, written with write(2) on the file descriptor, not through
/// <see cref="Console"/>: .NET's console streams put the terminal into keypad (application) mode at their first write when
/// standard input is a terminal, sending <c>ESC[?1h ESC=</c> to the screen. The tool reads no keys, so it needs no such
/// mode, and with NO_COLOR it sends no escape sequence at all. Not a <see cref="FileStream"/> either: on a file it would
/// write at its own offset (<c>apikeys list &gt;&gt; log</c> would overwrite the log), where write(2) follows the
/// descriptor's. A reader that went away (<c>apikeys list | head -1</c>) ends the output quietly, as the console's does.
/// </summary>
internal sealed unsafe partial class StandardStream(int fileDescriptor) : Stream
{
    private const int Interrupted = 4;   // EINTR
    private const int WouldBlock = 11;   // EAGAIN: a descriptor left non-blocking by another program
    private const int BrokenPipe = 32;   // EPIPE: the runtime ignores SIGPIPE, so the write reports it
    private const short PollOut = 0x4;

    private bool _broken;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            int done = 0;
            while (done < buffer.Length && !_broken)
            {
                nint written = WriteNative(fileDescriptor, start + done, buffer.Length - done);
                if (written >= 0)
                {
                    done += (int)written;
                    continue;
                }

                int errno = Marshal.GetLastPInvokeError();
                switch (errno)
                {
                    case Interrupted:
                        break;
                    case BrokenPipe:
                        _broken = true;
                        break;
                    case WouldBlock:
                        var poll = new PollFd { Fd = fileDescriptor, Events = PollOut };
                        _ = Poll(&poll, 1, -1);
                        break;
                    default:
                        throw new IOException($"Could not write to file descriptor {fileDescriptor}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
                }
            }
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint WriteNative(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, nuint count, int timeout);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
