using System.Globalization;
using ApiKeys.Cli.Output;
using Microsoft.Extensions.Logging;

namespace ApiKeys.Cli;

/// <summary>
/// The library's warnings and errors on stderr in the seed's form (<c>WARNING - Key ...dD4X blocked until ...</c>,
/// <c>ERROR - Failed to save keys: Permission denied</c>), each on one line with the path and the fix. Information
/// only with --verbose. A line already written is not repeated (the library retries a failed save on close).
/// </summary>
internal sealed class StderrLogger(CliContext context) : ILogger<ApiKeyManager>
{
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= (context.Verbose ? LogLevel.Information : LogLevel.Warning);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        string text = eventId.Name switch
        {
            "KeyBlocked" => KeyBlocked(fields),
            "StoreSaveFailed" => SaveFailed(fields),
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

    private static string SaveFailed(IReadOnlyList<KeyValuePair<string, object?>> fields)
    {
        string what = Field(fields, "What") as string ?? "keys";
        string reason = Field(fields, "Reason") as string ?? "failed";
        string path = Field(fields, "Path") as string ?? "";
        string fix = reason.StartsWith("Permission denied", StringComparison.Ordinal)
            ? string.Create(CultureInfo.InvariantCulture, $"fix: let your user write the store directory and its files (ls -ld {Quote(path)}; chmod u+rwX), or run as their owner")
            : "fix: check that the disk is not full or read-only";
        return $"Failed to save {what}: {reason} ({path}); {fix}";
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"'{path}'" : path;

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
