using System.Text;

namespace ApiKeys.Gateway.Logging;

/// <summary>
/// Lines gathered as UTF-8 in one buffer and written to a stream by one background writer, in batches: the first line of
/// a batch wakes the writer, which waits <see cref="GatewayConsoleLoggerProvider.FlushInterval"/> for more, then writes them
/// all at once. A line is encoded once, straight from its builder: no string, no queue entry, no second encoding.
/// </summary>
/// <remarks>
/// When <see cref="MaxPendingBytes"/> wait (a terminal or pipe slower than the traffic), a line waits for the writer
/// rather than being dropped. An idle gateway has no timer running: the writer sleeps until a line comes.
/// </remarks>
internal sealed class LineBatcher : IDisposable
{
    /// <summary>The bytes that may wait to be written before a new line waits for the writer.</summary>
    public const int MaxPendingBytes = 4 * 1024 * 1024;

    private const byte NewLine = (byte)'\n';

    private readonly Stream _output;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly Encoder _encoder = new UTF8Encoding(false).GetEncoder();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Task _writer;
    private byte[] _pending = new byte[64 * 1024];
    private byte[] _writing = new byte[64 * 1024];
    private int _length;
    private bool _stopping;

    public LineBatcher(Stream output, TimeSpan interval, TimeProvider time)
    {
        _output = output;
        _interval = interval;
        _time = time;
        _writer = Task.Run(RunAsync);
    }

    /// <summary>Adds <paramref name="line"/> and a newline; waits while <see cref="MaxPendingBytes"/> are pending. Dropped once stopped.</summary>
    public void Add(StringBuilder line)
    {
        bool first;
        lock (_gate)
        {
            while (_length >= MaxPendingBytes && !_stopping)
            {
                Monitor.Wait(_gate);
            }

            if (_stopping)
            {
                return;
            }

            first = _length == 0;
            Reserve(Encoding.UTF8.GetMaxByteCount(line.Length) + 1);
            foreach (var chunk in line.GetChunks())
            {
                _length += _encoder.GetBytes(chunk.Span, _pending.AsSpan(_length), flush: false);
            }

            _length += _encoder.GetBytes(ReadOnlySpan<char>.Empty, _pending.AsSpan(_length), flush: true);
            _pending[_length++] = NewLine;
        }

        if (first)
        {
            _wake.Release();
        }
    }

    /// <summary>Writes what is pending and stops the writer (waiting up to 5 s for it).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_stopping)
            {
                return;
            }

            _stopping = true;
            Monitor.PulseAll(_gate);
        }

        _wake.Release();
        _writer.Wait(TimeSpan.FromSeconds(5));
    }

    private void Reserve(int bytes)
    {
        if (_pending.Length - _length < bytes)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _length + bytes));
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            await _wake.WaitAsync().ConfigureAwait(false);
            bool stopping = Volatile.Read(ref _stopping);
            if (!stopping)
            {
                // Lines gather for a moment: one write and one wake-up for many lines, not one a request.
                await Task.Delay(_interval, _time).ConfigureAwait(false);
            }

            int length;
            lock (_gate)
            {
                (_pending, _writing) = (_writing, _pending);
                length = _length;
                _length = 0;
                Monitor.PulseAll(_gate);
            }

            Write(length);
            if (stopping)
            {
                return;
            }
        }
    }

    private void Write(int length)
    {
        if (length == 0)
        {
            return;
        }

        try
        {
            _output.Write(_writing, 0, length);
            _output.Flush();
        }
        catch (IOException)
        {
            // Standard output is closed (the terminal went away): there is nowhere to say so.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
