using System.Text;
using System.Text.Json;

namespace ApiKeys.Http;

/// <summary>
/// Finds the top-level <c>"model"</c> string of a JSON object as its bytes are written in, in one pass and in constant
/// memory: request content is copied into it straight from its own buffer (<see cref="HttpContent.CopyToAsync(Stream)"/>),
/// so nothing is buffered twice, and it stops looking at the first answer. Strings are skipped without being kept, so a
/// megabyte of base64 before the model costs a scan, not a copy. Not thread-safe: one scanner per request.
/// </summary>
/// <remarks>It reads structure, not validity: the server judges the JSON; a body that is not an object yields no model.</remarks>
internal sealed class JsonModelScanner : Stream
{
    // A model name is short; a longer value (or key) is not one.
    private const int MaxToken = 256;

    private readonly byte[] _token = new byte[MaxToken];
    private int _length;
    private bool _overflow;
    private int _depth;
    private bool _started;
    private bool _inString;
    private bool _escape;
    private bool _expectKey;
    private bool _keyIsModel;
    private bool _awaitValue;
    private Capture _capture;

    private enum Capture
    {
        None,
        Key,
        Value,
    }

    /// <summary>Whether the scan has its answer (a model, or none to be found).</summary>
    public bool IsDone { get; private set; }

    /// <summary>The model, without a <c>models/</c> prefix; null when the body names none.</summary>
    public string? Model { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        for (int i = 0; i < buffer.Length && !IsDone; i++)
        {
            Step(buffer[i]);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private void Step(byte b)
    {
        if (_inString)
        {
            InString(b);
            return;
        }

        switch (b)
        {
            case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                return;
            case 0xEF or 0xBB or 0xBF when !_started:
                return; // a UTF-8 byte order mark
            case (byte)'"' when _started:
                _inString = true;
                _length = 0;
                _overflow = false;
                _capture = _depth != 1 ? Capture.None : _expectKey ? Capture.Key : _awaitValue ? Capture.Value : Capture.None;
                _expectKey = false;
                return;
            case (byte)'{' when !_started:
                _started = true;
                _depth = 1;
                _expectKey = true;
                return;
            case (byte)'{' or (byte)'[' when _started:
                _depth++;
                IsDone |= _awaitValue && _depth == 2; // "model": {...} is no model name
                return;
            case (byte)'}' or (byte)']':
                IsDone |= --_depth <= 0;
                return;
            case (byte)',' when _depth == 1:
                _expectKey = true;
                _keyIsModel = false;
                _awaitValue = false;
                return;
            case (byte)':' when _depth == 1:
                _awaitValue = _keyIsModel;
                return;
            default:
                // Anything before the root object, or a number or literal as the model's value: no model.
                IsDone |= !_started || (_awaitValue && _depth == 1);
                return;
        }
    }

    private void InString(byte b)
    {
        if (_escape)
        {
            _escape = false;
        }
        else if (b == (byte)'\\')
        {
            _escape = true;
        }
        else if (b == (byte)'"')
        {
            _inString = false;
            EndString();
            return;
        }

        if (_capture == Capture.None)
        {
            return;
        }

        if (_length < MaxToken)
        {
            _token[_length++] = b;
        }
        else
        {
            _overflow = true;
        }
    }

    private void EndString()
    {
        if (_capture == Capture.Key)
        {
            _keyIsModel = !_overflow && Unescape(_token.AsSpan(0, _length)) == "model";
        }
        else if (_capture == Capture.Value)
        {
            string? model = _overflow ? null : Unescape(_token.AsSpan(0, _length));
            if (model is not null && model.StartsWith("models/", StringComparison.Ordinal))
            {
                model = model["models/".Length..];
            }

            Model = string.IsNullOrEmpty(model) ? null : model;
            IsDone = true;
        }

        _capture = Capture.None;
    }

    private static string? Unescape(ReadOnlySpan<byte> raw)
    {
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return Encoding.UTF8.GetString(raw);
        }

        Span<byte> quoted = stackalloc byte[MaxToken + 2];
        quoted[0] = (byte)'"';
        raw.CopyTo(quoted[1..]);
        quoted[raw.Length + 1] = (byte)'"';
        try
        {
            var reader = new Utf8JsonReader(quoted[..(raw.Length + 2)]);
            return reader.Read() ? reader.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
