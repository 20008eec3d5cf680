namespace ApiKeys.Http.Usage;

/// <summary>The outcomes of <see cref="UsageRecord.Outcome"/> that are not failure kinds (those are <see cref="Pool.FailureKind"/>'s names).</summary>
public static class UsageOutcomes
{
    /// <summary>A success (2xx or 3xx).</summary>
    public const string Success = "Success";

    /// <summary>No key could serve the request (all cooling, busy or disabled).</summary>
    public const string NoKey = "NoKey";

    /// <summary>The caller gave up (cancelled, went away) before the answer ended.</summary>
    public const string Cancelled = "Cancelled";

    /// <summary>Refused before any key was sought (the gateway: no token, a model not allowed, a client limit, no such route).</summary>
    public const string Rejected = "Rejected";

    /// <summary>The outcome of a failure of <paramref name="kind"/>: the kind's name.</summary>
    public static string Of(Pool.FailureKind kind) => Names[(int)kind];

    private static readonly string[] Names = [.. Enum.GetValues<Pool.FailureKind>().Select(k => k.ToString())];
}
