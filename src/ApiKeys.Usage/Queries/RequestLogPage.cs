namespace ApiKeys.Usage.Queries;

/// <summary>A page of the request log.</summary>
/// <param name="Entries">The rows: newest first, or oldest first when following (<see cref="RequestLogQuery.After"/>).</param>
/// <param name="NextBefore">The cursor of the next (older) page; null when there is none.</param>
/// <param name="LastId">The largest id in the log when the page was read (where following starts).</param>
public sealed record RequestLogPage(IReadOnlyList<RequestLogEntry> Entries, long? NextBefore, long LastId);
