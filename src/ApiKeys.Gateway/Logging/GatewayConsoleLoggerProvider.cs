using System.Globalization;
using System.Text;

namespace ApiKeys.Gateway.Logging;

/// <summary>
/// The gateway's console log: one line per entry on standard output (<c>time level category[event]: message</c>), every line
/// passed through <see cref="LogRedactor"/> first. Lines are gathered as UTF-8 and written in batches by one background writer
/// (<see cref="LineBatcher"/>), at most <see cref="FlushInterval"/> (of the time provider) after they are logged, so a
/// request never waits on the terminal.
/// </summary>
public sealed class GatewayConsoleLoggerProvider : ILoggerProvider
{
    /// <summary>The longest a line waits before it is written.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(20);

    private readonly LogRedactor _redactor;
    private readonly Func<string, string> _redact;
    private readonly TimeProvider _time;
    private readonly LineBatcher _lines;
    private SecondStamp? _second;

    /// <summary>Writes to <paramref name="output"/> (standard output when null).</summary>
    public GatewayConsoleLoggerProvider(LogRedactor redactor, TimeProvider? timeProvider = null, Stream? output = null)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        _redactor = redactor;
        _redact = redactor.Redact;
        _time = timeProvider ?? TimeProvider.System;
        _lines = new LineBatcher(output ?? Console.OpenStandardOutput(), FlushInterval, _time);
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>Writes what is pending and stops.</summary>
    public void Dispose() => _lines.Dispose();

    /// <summary>The time as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>: the part up to the second is formatted once a second, not once a line.</summary>
    private void AppendTime(StringBuilder line)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        long second = now.Ticks / TimeSpan.TicksPerSecond;
        var stamp = Volatile.Read(ref _second);
        if (stamp is null || stamp.Second != second)
        {
            stamp = new SecondStamp(second, now.ToString("yyyy-MM-ddTHH:mm:ss.", CultureInfo.InvariantCulture));
            Volatile.Write(ref _second, stamp);
        }

        int milliseconds = now.Millisecond;
        line.Append(stamp.Text).Append((char)('0' + (milliseconds / 100))).Append((char)('0' + (milliseconds / 10 % 10))).Append((char)('0' + (milliseconds % 10))).Append('Z');
    }

    private sealed record SecondStamp(long Second, string Text);

    private sealed class Logger(GatewayConsoleLoggerProvider provider, string category) : ILogger
    {
        // One line builder a thread, not one a line.
        [ThreadStatic]
        private static StringBuilder? t_line;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var line = t_line is { Capacity: <= 8192 } reused ? reused.Clear() : t_line = new StringBuilder(512);
            provider.AppendTime(line);
            line.Append(' ').Append(Level(logLevel)).Append(' ').Append(category);
            if (eventId.Id != 0)
            {
                line.Append('[').Append(eventId.Id).Append(']');
            }

            line.Append(": ");
            if (state is AccessLogEntry access && exception is null)
            {
                // Its own words and numbers as they are; only what a client or an operator chose goes through the redactor.
                access.AppendTo(line, provider._redact);
                provider._lines.Add(line);
                return;
            }

            line.Append(formatter(state, exception));
            if (exception is not null)
            {
                line.Append(Environment.NewLine).Append(exception);
            }

            string redacted = provider._redactor.Redact(line.ToString());
            provider._lines.Add(line.Clear().Append(redacted));
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
