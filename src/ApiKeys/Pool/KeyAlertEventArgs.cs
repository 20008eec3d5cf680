namespace ApiKeys.Pool;

/// <summary>
/// Raised when a key reaches the configured number of consecutive failures (the seed: "set up alerts for multiple consecutive
/// failures"), and when a failure calls for one at once (a key reported as leaked).
/// </summary>
public sealed class KeyAlertEventArgs : EventArgs
{
    /// <summary>Creates the alert.</summary>
    /// <param name="keyId">The key's id.</param>
    /// <param name="mask">The masked key.</param>
    /// <param name="consecutiveFailures">How many failures in a row.</param>
    /// <param name="lastError">The last error.</param>
    /// <param name="reason">Why the alert, for people; null: the consecutive failures.</param>
    public KeyAlertEventArgs(string keyId, string mask, int consecutiveFailures, KeyError? lastError, string? reason = null)
    {
        IsStrikeAlert = reason is null;
        Reason = reason ?? $"{consecutiveFailures} consecutive failures";
        KeyId = keyId;
        Mask = mask;
        ConsecutiveFailures = consecutiveFailures;
        LastError = lastError;
    }

    /// <summary>The key's id.</summary>
    public string KeyId { get; }

    /// <summary>The masked key.</summary>
    public string Mask { get; }

    /// <summary>How many failures in a row.</summary>
    public int ConsecutiveFailures { get; }

    /// <summary>The last error.</summary>
    public KeyError? LastError { get; }

    /// <summary>Why the alert, for people (redacted): "3 consecutive failures", or the key's disabled reason ("reported as leaked: rotate it").</summary>
    public string Reason { get; }

    /// <summary>Whether the alert is for consecutive failures (else a failure called for it at once).</summary>
    internal bool IsStrikeAlert { get; }
}
