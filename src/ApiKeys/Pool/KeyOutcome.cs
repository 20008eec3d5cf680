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

    /// <summary>This outcome with another failure (same model and excuse).</summary>
    internal KeyOutcome WithFailure(KeyFailure failure) => new(failure, Model, IsExcused);

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
