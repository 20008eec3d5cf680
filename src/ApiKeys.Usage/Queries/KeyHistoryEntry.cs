namespace ApiKeys.Usage.Queries;

/// <summary>One transition of a key: cooling (with its reason and until when), restored, disabled (with its reason), enabled.</summary>
/// <param name="At">When.</param>
/// <param name="KeyId">The key's id.</param>
/// <param name="Kind"><c>Cooling</c>, <c>Restored</c>, <c>Disabled</c> or <c>Enabled</c>.</param>
/// <param name="Failure">The failure kind that caused it.</param>
/// <param name="Model">The model, for a change of one model only.</param>
/// <param name="Until">For a cooldown: when the key comes back.</param>
/// <param name="Reason">A redacted reason, for people.</param>
public sealed record KeyHistoryEntry(DateTimeOffset At, string KeyId, string Kind, string? Failure, string? Model, DateTimeOffset? Until, string? Reason);
