namespace ApiKeys.Pool;

/// <summary>Raised when a key reaches the configured number of consecutive failures (the seed: "set up alerts for multiple consecutive failures").</summary>
public sealed class KeyAlertEventArgs : EventArgs
{
    /// <summary>Creates the alert.</summary>
    public KeyAlertEventArgs(string keyId, string mask, int consecutiveFailures, KeyError? lastError)
    {
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
}
