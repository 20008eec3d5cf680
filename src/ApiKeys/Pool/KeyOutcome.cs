using ApiKeys.Security;

namespace ApiKeys.Pool;

/// <summary>What happened with a key: a success, or a failure of some kind, for an optional model.</summary>
public readonly record struct KeyOutcome
{
    private KeyOutcome(KeyFailure? failure, string? model, bool excused)
    {
        Failure = failure;
        Model = string.IsNullOrEmpty(model) ? failure?.Model : model;
        IsExcused = excused;
    }

    /// <summary>The failure; null for a success.</summary>
    public KeyFailure? Failure { get; }

    /// <summary>The model the call was for.</summary>
    public string? Model { get; }

    /// <summary>Whether the failure is excused (the environment's fault): counted, with no effect on the key.</summary>
    public bool IsExcused { get; }

    /// <summary>Whether the call succeeded.</summary>
    public bool IsSuccess => Failure is null;

    /// <summary>
    /// This outcome with its failure's message passed through <paramref name="redactor"/> (the same value when nothing changes).
    /// Key-shaped tokens are masked when a failure is made; a pool passes its own redactor so its keys of any shape are too.
    /// </summary>
    public KeyOutcome RedactedWith(SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        if (Failure is not { Message: not null } failure)
        {
            return this;
        }

        var redacted = failure.RedactedWith(redactor);
        return ReferenceEquals(redacted, failure) ? this : new(redacted, Model, IsExcused);
    }

    /// <summary>A success.</summary>
    public static KeyOutcome Success(string? model = null) => new(null, model, false);

    /// <summary>A failure.</summary>
    public static KeyOutcome Failed(KeyFailure failure, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(failure, model ?? failure.Model, false);
    }

    /// <summary>A failure that is not the key's fault (the environment-fault guard): recorded, no strike, no cooldown.</summary>
    public static KeyOutcome Excused(KeyFailure failure, string? model = null)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return new(failure, model ?? failure.Model, true);
    }
}
