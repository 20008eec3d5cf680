namespace ApiKeys.Pool;

/// <summary>The last error seen with a key: its kind, the redacted message and when.</summary>
/// <param name="Kind">The failure kind.</param>
/// <param name="Message">What the server said, redacted (never a key).</param>
/// <param name="At">When it happened.</param>
public sealed record KeyError(FailureKind Kind, string? Message, DateTimeOffset At);
