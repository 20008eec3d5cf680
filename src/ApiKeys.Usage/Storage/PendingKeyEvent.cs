namespace ApiKeys.Usage.Storage;

/// <summary>A key's transition waiting to be written (ids and redacted reasons only).</summary>
internal sealed record PendingKeyEvent(DateTimeOffset At, string KeyId, string Kind, string? Failure, string? Model, DateTimeOffset? Until, string? Reason);
