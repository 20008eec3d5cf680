using ApiKeys.Pool;

namespace ApiKeys.Http.Validation;

/// <summary>The validation of one key: no secret, only its id and mask.</summary>
/// <param name="KeyId">The key's id (or what was asked for, when <see cref="KeyValidationOutcome.NotFound"/>).</param>
/// <param name="Mask">The masked key (empty when not found).</param>
/// <param name="Outcome">What was found out.</param>
/// <param name="StatusCode">The HTTP status, when there was an answer.</param>
/// <param name="Message">What the server said, redacted; null for a success.</param>
/// <param name="Kind">The failure kind, when the answer was a failure.</param>
/// <param name="Elapsed">How long the call took.</param>
public sealed record KeyValidationResult(string KeyId, string Mask, KeyValidationOutcome Outcome, int? StatusCode, string? Message, FailureKind? Kind, TimeSpan Elapsed)
{
    /// <summary>Whether the key works.</summary>
    public bool IsValid => Outcome == KeyValidationOutcome.Valid;
}
