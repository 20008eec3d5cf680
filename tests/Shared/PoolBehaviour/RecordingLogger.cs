using Microsoft.Extensions.Logging;

namespace ApiKeys.Tests.Behaviour;

/// <summary>A logger that keeps every line's event id and text (user code, as far as the pool knows).</summary>
public sealed class RecordingLogger<T>(List<(int EventId, string Message)> lines) : ILogger<T>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (lines)
        {
            lines.Add((eventId.Id, formatter(state, exception)));
        }
    }
}
