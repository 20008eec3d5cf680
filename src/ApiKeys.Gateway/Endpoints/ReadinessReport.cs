namespace ApiKeys.Gateway.Endpoints;

/// <summary>The answer of <c>/readyz</c>.</summary>
/// <param name="Ready">Whether every check passed.</param>
/// <param name="Checks">Each check's result: <c>ok...</c> or what is wrong.</param>
public sealed record ReadinessReport(bool Ready, IReadOnlyDictionary<string, string> Checks);
