namespace ApiKeys.Http.Usage;

/// <summary>The response body's stream, read through: each chunk read is shown to the scanner, then returned as it is.</summary>
internal sealed class UsageTapStream(Stream inner, UsageMeter meter) : Stream
{
    private readonly UsageScanner _scanner = new();
    private int _ended;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read;
        try
        {
            read = inner.Read(buffer);
        }
        catch
        {
            End(interrupted: true);
            throw;
        }

        return Seen(buffer[..read]);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        try
        {
            read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            End(interrupted: true);
            throw;
        }

        return Seen(buffer.Span[..read]);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            End(interrupted: false);
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        End(interrupted: false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private int Seen(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            End(interrupted: false);
            return 0;
        }

        meter.FirstByte();
        _scanner.Write(bytes);
        return bytes.Length;
    }

    private void End(bool interrupted)
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            meter.BodyEnded(_scanner, interrupted);
        }
    }
}
