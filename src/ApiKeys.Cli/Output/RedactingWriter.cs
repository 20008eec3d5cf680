using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace ApiKeys.Cli.Output;

/// <summary>
/// The one place the tool's output is redacted: standard output and standard error both go through it, so whatever a
/// command prints (its lines, a store error, an exception's message, a stack trace, the library's log lines) passes the
/// redactor first. Text is held until the end of its line (a key written in two pieces is still seen whole) and
/// released by <see cref="Flush"/>, which every prompt calls before it reads.
/// </summary>
internal sealed class RedactingWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly Func<string, string> _redact;
    private readonly StringBuilder _pending = new();
    private readonly Lock _gate = new();

    public RedactingWriter(TextWriter inner, Func<string, string> redact)
        : base(inner.FormatProvider)
    {
        _inner = inner;
        _redact = redact;
        CoreNewLine = inner.NewLine.ToCharArray();
    }

    public override Encoding Encoding => _inner.Encoding;

    [AllowNull]
    public override string NewLine
    {
        get => base.NewLine;
        set
        {
            base.NewLine = value;
            _inner.NewLine = value;
        }
    }

    public override void Write(char value)
    {
        lock (_gate)
        {
            _pending.Append(value);
            if (value == '\n')
            {
                Release(_pending.Length);
            }
        }
    }

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            _pending.Append(buffer);
            int lastLine = buffer.LastIndexOf('\n');
            if (lastLine >= 0)
            {
                Release(_pending.Length - (buffer.Length - lastLine - 1));
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            _pending.Append(value).Append(CoreNewLine);
            Release(_pending.Length);
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            Release(_pending.Length);
            _inner.Flush();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Flush();
        }

        base.Dispose(disposing);
    }

    /// <summary>Writes the first <paramref name="length"/> pending characters, redacted. The caller holds the lock.</summary>
    private void Release(int length)
    {
        if (length == 0)
        {
            return;
        }

        string text = _pending.ToString(0, length);
        _pending.Remove(0, length);
        _inner.Write(_redact(text));
    }
}
