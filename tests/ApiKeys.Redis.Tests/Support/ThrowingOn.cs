using Microsoft.Extensions.Logging;

namespace ApiKeys.Redis.Tests.Support;

/// <summary>A logger that passes every line on to <paramref name="inner"/> and then throws on one event id (a logging provider that fails).</summary>
internal sealed class ThrowingOn(int eventId, ILogger<RedisKeyPool> inner) : ILogger<RedisKeyPool>
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        inner.Log(logLevel, id, state, exception, formatter);
        if (id.Id == eventId)
        {
            throw new InvalidOperationException("a logging provider failed");
        }
    }
}
