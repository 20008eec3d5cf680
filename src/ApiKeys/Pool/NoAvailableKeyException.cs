namespace ApiKeys.Pool;

/// <summary>No key can serve the call now.</summary>
public sealed class NoAvailableKeyException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public NoAvailableKeyException()
        : this(null, null, null, NoKeyReason.Empty)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public NoAvailableKeyException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public NoAvailableKeyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="retryAfter">How long until a key comes back; null when none comes back by itself.</param>
    /// <param name="availableAt">When a key comes back.</param>
    /// <param name="model">The model asked for.</param>
    /// <param name="reason">Why no key is available.</param>
    public NoAvailableKeyException(TimeSpan? retryAfter, DateTimeOffset? availableAt, string? model, NoKeyReason reason)
        : base(Describe(retryAfter, model, reason))
    {
        RetryAfter = retryAfter;
        AvailableAt = availableAt;
        Model = model;
        Reason = reason;
    }

    /// <summary>How long until a key comes back; null when every key is disabled (nothing comes back by itself).</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>When the next key comes back, if one does.</summary>
    public DateTimeOffset? AvailableAt { get; }

    /// <summary>The model asked for, if any.</summary>
    public string? Model { get; }

    /// <summary>Why no key is available.</summary>
    public NoKeyReason Reason { get; }

    private static string Describe(TimeSpan? retryAfter, string? model, NoKeyReason reason)
    {
        string what = model is null ? "No available keys" : $"No available keys for model {model}";
        return reason switch
        {
            NoKeyReason.Empty => $"{what}: the pool has no keys. Add keys (apikeys add).",
            NoKeyReason.AllDisabled => $"{what}: every key is disabled. Add new keys, or enable or revalidate the disabled ones.",
            NoKeyReason.EnvironmentFault => $"{what}: many keys failed the same way at once, which points at the network or the environment, not the keys; back off for {Format(retryAfter)}.",
            NoKeyReason.AllBusy => $"{what}: every usable key has its maximum of leases in flight.",
            _ => $"{what}: every key is cooling down; the next comes back in {Format(retryAfter)}.",
        };
    }

    private static string Format(TimeSpan? t) => t is not { } v ? "an unknown time" : v.TotalSeconds < 120 ? $"{Math.Ceiling(v.TotalSeconds)} s" : $"{Math.Ceiling(v.TotalMinutes)} min";
}
