namespace ApiKeys.Pool;

/// <summary>Raised for every change of a key's availability.</summary>
public sealed class KeyEventArgs : EventArgs
{
    /// <summary>Creates the event.</summary>
    public KeyEventArgs(KeyEventKind kind, string keyId, string mask, DateTimeOffset at, FailureKind? failure = null, DateTimeOffset? until = null, string? model = null, string? reason = null)
    {
        Kind = kind;
        KeyId = keyId;
        Mask = mask;
        At = at;
        Failure = failure;
        Until = until;
        Model = model;
        Reason = reason;
    }

    /// <summary>What happened.</summary>
    public KeyEventKind Kind { get; }

    /// <summary>The key's id.</summary>
    public string KeyId { get; }

    /// <summary>The masked key.</summary>
    public string Mask { get; }

    /// <summary>When.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The failure kind that caused it, if any.</summary>
    public FailureKind? Failure { get; }

    /// <summary>For cooldowns: when the key comes back.</summary>
    public DateTimeOffset? Until { get; }

    /// <summary>For model-scoped changes: the model.</summary>
    public string? Model { get; }

    /// <summary>A redacted reason, for people.</summary>
    public string? Reason { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Mask}{(Model is null ? "" : $" model {Model}")}{(Until is { } u ? $" until {u:u}" : "")}{(Failure is { } f ? $" ({f})" : "")}";
}
