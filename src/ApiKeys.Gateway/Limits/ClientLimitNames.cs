namespace ApiKeys.Gateway.Limits;

/// <summary>The names of the limits, as clients read them in errors.</summary>
public static class ClientLimitNames
{
    /// <summary>Requests per minute.</summary>
    public const string PerMinute = "requests per minute";

    /// <summary>Requests per day.</summary>
    public const string PerDay = "requests per day";

    /// <summary>Requests in flight.</summary>
    public const string InFlight = "requests in flight";
}
