namespace ApiKeys.Pool;

/// <summary>
/// What a failure says beyond its <see cref="FailureKind"/>, where the pool treats it differently (DESIGN.md's failure
/// table: a blocked service, an API not enabled in the key's project, a key restricted to other callers, a leaked key).
/// </summary>
public enum FailureDetail
{
    /// <summary>Nothing more than the kind.</summary>
    None = 0,

    /// <summary>403 <c>API_KEY_SERVICE_BLOCKED</c> (<see cref="FailureKind.Forbidden"/>): the key may not call this service or method; the model is out until revalidated.</summary>
    ServiceBlocked = 1,

    /// <summary>403 <c>SERVICE_DISABLED</c> (<see cref="FailureKind.Forbidden"/>): the API is not enabled in the key's project; every key of that project is out until revalidated.</summary>
    ServiceDisabled = 2,

    /// <summary>403 <c>API_KEY_HTTP_REFERRER_BLOCKED</c> (<see cref="FailureKind.Forbidden"/>): the key is restricted to other HTTP referrers; out until revalidated.</summary>
    HttpReferrerRestricted = 3,

    /// <summary>403 <c>API_KEY_IP_ADDRESS_BLOCKED</c> (<see cref="FailureKind.Forbidden"/>): the key is restricted to other IP addresses; out until revalidated.</summary>
    IpAddressRestricted = 4,

    /// <summary>403 <c>API_KEY_ANDROID_APP_BLOCKED</c> (<see cref="FailureKind.Forbidden"/>): the key is restricted to other Android apps; out until revalidated.</summary>
    AndroidAppRestricted = 5,

    /// <summary>403 <c>API_KEY_IOS_APP_BLOCKED</c> (<see cref="FailureKind.Forbidden"/>): the key is restricted to other iOS apps; out until revalidated.</summary>
    IosAppRestricted = 6,

    /// <summary>403 "API key was reported as leaked" (<see cref="FailureKind.Suspended"/>): disabled, rotate it; an alert is raised.</summary>
    Leaked = 7,
}
