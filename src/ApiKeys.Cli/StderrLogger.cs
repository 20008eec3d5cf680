using ApiKeys.Cli.Output;
using Microsoft.Extensions.Logging;

namespace ApiKeys.Cli;

/// <summary>
/// The library's warnings and errors on stderr in the seed's form (<c>WARNING - Key ...dD4X blocked until ...</c>), each
/// on one line with the fix. Information only with --verbose. A line already written is not repeated. A failed write is
/// not logged here: every command writes through <see cref="StoreOpener.Change"/> or <see cref="KeyIntake"/>, and says
/// itself what was not done (the library's own line would say it
/// before the command knows, and again when it retries).
/// </summary>
internal sealed class StderrLogger(CliContext context) : ILogger<ApiKeyManager>
{
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    /// <summary>Whether the lines about keys enabled or disabled are shown (the commands that make such changes by hand say so themselves).</summary>
    public bool KeyEvents { get; init; } = true;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= (context.Verbose ? LogLevel.Information : LogLevel.Warning);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel) || eventId.Name is "StoreSaveFailed" || (!KeyEvents && eventId.Name is "KeyDisabled" or "KeyEnabled"))
        {
            return;
        }

        var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        string text = eventId.Name switch
        {
            "KeyBlocked" => KeyBlocked(fields),
            _ => formatter(state, exception),
        };
        string line = $"{Level(logLevel)} - {text}";
        lock (_written)
        {
            if (!_written.Add(line))
            {
                return;
            }
        }

        context.Error.WriteLine(line);
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Critical => "CRITICAL",
        LogLevel.Error => "ERROR",
        LogLevel.Warning => "WARNING",
        LogLevel.Information => "INFO",
        _ => "DEBUG",
    };

    private string KeyBlocked(IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        string mask = Field(fields, "KeyMask") as string ?? "?";
        string reason = Field(fields, "Reason") as string ?? "failures";
        string until = Field(fields, "Until") is DateTimeOffset u ? KeyText.When(u, context.Time) : "later";
        return $"Key {KeyText.TailOfMask(mask)} blocked until {until} after {reason}: wait for the block to end, or remove and replace the key (apikeys remove {KeyText.TailOfMask(mask)}; apikeys add)";
    }

    private static object? Field(IReadOnlyList<KeyValuePair<string, object?>> fields, string name)
    {
        foreach (var field in fields)
        {
            if (field.Key == name)
            {
                return field.Value;
            }
        }

        return null;
    }
}
