namespace ApiKeys.Usage.Queries;

/// <summary>One key's requests and tokens over a range (<see cref="KeyUsageTotals.GetKeyTotals"/>).</summary>
/// <param name="KeyId">The key's id.</param>
/// <param name="Requests">Requests.</param>
/// <param name="Failures">Failures.</param>
/// <param name="InputTokens">Input tokens.</param>
/// <param name="OutputTokens">Output tokens.</param>
public sealed record KeyUsageTotal(string KeyId, long Requests, long Failures, long InputTokens, long OutputTokens);
