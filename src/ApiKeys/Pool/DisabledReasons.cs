namespace ApiKeys.Pool;

/// <summary>The sentences a disabled key carries (<see cref="KeyState.DisabledReason"/>): what happened and, where the policy knows it, what to do.</summary>
internal static class DisabledReasons
{
    /// <summary>The reason a key reported as leaked is disabled with (<see cref="KeyStatusBuilder"/> adds how to rotate it).</summary>
    public const string Leaked = "reported as leaked: rotate it";

    /// <summary>What a disable of this kind means, in a few words.</summary>
    public static string Describe(FailureKind kind) => kind switch
    {
        FailureKind.InvalidKey => "the key is invalid or expired",
        FailureKind.Suspended => "suspended",
        FailureKind.Forbidden => "forbidden",
        FailureKind.ModelUnavailable => "no model is offered to this key",
        FailureKind.Billing => "billing: credit used up",
        _ => kind.ToString(),
    };

    /// <summary>The status's sentence for a key disabled by a failure: why, and what brings it back.</summary>
    public static string Why(FailureKind kind, string? reason) =>
        kind == FailureKind.Suspended && reason == Leaked
            ? $"{Leaked}: add a new key, then remove this one (revalidation does not bring a leaked key back)"
            : $"{Describe(kind)}: {reason}; revalidate (apikeys check) or enable it";

    /// <summary>"enable the Generative Language API in project 123456789012": what <c>status --why</c> tells the user to do.</summary>
    public static string ServiceDisabled(string? service, string? project)
    {
        string where = project is null ? "the key's project"
            : project.StartsWith("projects/", StringComparison.Ordinal) ? $"project {project["projects/".Length..]}" : $"project {project}";
        return $"enable the {service ?? "API"} in {where} (SERVICE_DISABLED)";
    }

    /// <summary>"restricted to other HTTP referrers (API_KEY_HTTP_REFERRER_BLOCKED): ...": the restriction named, with what the server said.</summary>
    public static string Restriction(KeyFailure failure)
    {
        string restriction = failure.Detail switch
        {
            FailureDetail.HttpReferrerRestricted => "HTTP referrers (API_KEY_HTTP_REFERRER_BLOCKED)",
            FailureDetail.IpAddressRestricted => "IP addresses (API_KEY_IP_ADDRESS_BLOCKED)",
            FailureDetail.AndroidAppRestricted => "Android apps (API_KEY_ANDROID_APP_BLOCKED)",
            _ => "iOS apps (API_KEY_IOS_APP_BLOCKED)",
        };
        return failure.Message is { Length: > 0 } message ? $"restricted to other {restriction}: {message}" : $"restricted to other {restriction}";
    }
}
