using ApiKeys.Security;

namespace ApiKeys.Pool;

/// <summary>A failed call with a key: its kind and what the server said.</summary>
/// <remarks>Messages are redacted when the failure is created: no key-shaped text is kept.</remarks>
public sealed class KeyFailure
{
    private KeyFailure(FailureKind kind, string? message, TimeSpan? retryAfter = null, RateLimitScope scope = RateLimitScope.Unknown,
        string? model = null, string? project = null, FailureDetail detail = FailureDetail.None, int? statusCode = null, string? service = null)
    {
        if (retryAfter is { } r && r < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(retryAfter), "A retry delay cannot be negative.");
        }

        Kind = kind;
        Message = message is null ? null : SecretRedactor.Default.Redact(message);
        RetryAfter = retryAfter;
        Scope = scope;
        Model = string.IsNullOrEmpty(model) ? null : model;
        Project = string.IsNullOrEmpty(project) ? null : project;
        Detail = detail;
        Service = string.IsNullOrEmpty(service) ? null : service;
        StatusCode = statusCode;
    }

    // The seed's update_key_status(key, False) makes one of these per call: share the one without a message.
    private static readonly KeyFailure UnknownWithoutMessage = new(FailureKind.Unknown, null);

    /// <summary>The kind of failure.</summary>
    public FailureKind Kind { get; }

    /// <summary>What the server said, redacted.</summary>
    public string? Message { get; }

    /// <summary>The delay the server asked for, if any.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>For <see cref="FailureKind.RateLimited"/>: which quota.</summary>
    public RateLimitScope Scope { get; }

    /// <summary>The model the failure is about, when it is model-specific.</summary>
    public string? Model { get; }

    /// <summary>The key's project, when the error revealed it (Gemini's <c>consumer</c> metadata).</summary>
    public string? Project { get; }

    /// <summary>What the failure says beyond its kind (a blocked service, an API not enabled, a restricted or leaked key).</summary>
    public FailureDetail Detail { get; }

    /// <summary>For <see cref="FailureDetail.ServiceDisabled"/>: the API to enable (Google's <c>serviceTitle</c>, e.g. "Generative Language API").</summary>
    public string? Service { get; }

    /// <summary>For <see cref="FailureKind.Forbidden"/>: the service or method is blocked for this key.</summary>
    public bool IsServiceBlocked => Detail == FailureDetail.ServiceBlocked;

    /// <summary>Whether the key is restricted to other callers (referrers, IP addresses, Android or iOS apps).</summary>
    public bool IsKeyRestriction => Detail is FailureDetail.HttpReferrerRestricted or FailureDetail.IpAddressRestricted
        or FailureDetail.AndroidAppRestricted or FailureDetail.IosAppRestricted;

    /// <summary>The HTTP status code, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Whether the key itself is at fault (anything but <see cref="FailureKind.Upstream"/>, <see cref="FailureKind.Transport"/> and <see cref="FailureKind.BadRequest"/>).</summary>
    public bool IsKeyFault => Kind is not (FailureKind.Upstream or FailureKind.Transport or FailureKind.BadRequest);

    /// <summary>Whether the same request may succeed with another key.</summary>
    public bool ShouldRetryOnAnotherKey => Kind != FailureKind.BadRequest;

    /// <summary>Whether a retry should wait first (the server or network is struggling).</summary>
    public bool NeedsBackoff => Kind is FailureKind.Upstream or FailureKind.Transport;

    /// <summary>An unclassified failure: a strike (the seed's <c>update_key_status(key, False)</c>).</summary>
    public static KeyFailure Unknown(string? message = null) => message is null ? UnknownWithoutMessage : new(FailureKind.Unknown, message);

    /// <summary>A rate limit (429).</summary>
    /// <param name="retryAfter">The server's retry delay, if any (ignored for <see cref="RateLimitScope.Day"/>).</param>
    /// <param name="scope">Which quota was hit.</param>
    /// <param name="model">The model, if the quota is per model.</param>
    /// <param name="message">What the server said.</param>
    /// <param name="project">The key's project, if the error revealed it.</param>
    public static KeyFailure RateLimited(TimeSpan? retryAfter = null, RateLimitScope scope = RateLimitScope.Unknown, string? model = null, string? message = null, string? project = null)
        => new(FailureKind.RateLimited, message, retryAfter, scope, model, project);

    /// <summary>The model is not offered to this key (quota value 0).</summary>
    public static KeyFailure ModelUnavailable(string? model, string? message = null, string? project = null)
        => new(FailureKind.ModelUnavailable, message, model: model, project: project);

    /// <summary>The key is invalid or expired.</summary>
    public static KeyFailure InvalidKey(string? message = null) => new(FailureKind.InvalidKey, message);

    /// <summary>The key's consumer was suspended.</summary>
    public static KeyFailure Suspended(string? message = null, string? project = null) => new(FailureKind.Suspended, message, project: project);

    /// <summary>Forbidden: <paramref name="serviceBlocked"/> when the key is blocked for this service or method (then the model is taken out), else a strike.</summary>
    public static KeyFailure Forbidden(string? message = null, bool serviceBlocked = false, string? model = null, string? project = null)
        => new(FailureKind.Forbidden, message, model: model, project: project, detail: serviceBlocked ? FailureDetail.ServiceBlocked : FailureDetail.None);

    /// <summary>The API is not enabled in the key's project (403 <c>SERVICE_DISABLED</c>): every key of that project is out until revalidated.</summary>
    /// <param name="service">The API to enable (e.g. "Generative Language API"), if the error named it.</param>
    /// <param name="project">The key's project (<c>projects/123456789012</c>), if the error revealed it.</param>
    /// <param name="message">What the server said.</param>
    public static KeyFailure ServiceDisabled(string? service = null, string? project = null, string? message = null)
        => new(FailureKind.Forbidden, message, project: project, detail: FailureDetail.ServiceDisabled, service: service);

    /// <summary>The key is restricted to other callers (403 <c>API_KEY_HTTP_REFERRER_BLOCKED</c> and its siblings): out until revalidated.</summary>
    /// <param name="restriction">Which restriction: <see cref="FailureDetail.HttpReferrerRestricted"/>, <see cref="FailureDetail.IpAddressRestricted"/>,
    /// <see cref="FailureDetail.AndroidAppRestricted"/> or <see cref="FailureDetail.IosAppRestricted"/>.</param>
    /// <param name="message">What the server said.</param>
    /// <param name="project">The key's project, if the error revealed it.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="restriction"/> is not a key restriction.</exception>
    public static KeyFailure Restricted(FailureDetail restriction, string? message = null, string? project = null)
    {
        var failure = new KeyFailure(FailureKind.Forbidden, message, project: project, detail: restriction);
        return failure.IsKeyRestriction
            ? failure
            : throw new ArgumentOutOfRangeException(nameof(restriction), restriction, "Not a key restriction: use HttpReferrerRestricted, IpAddressRestricted, AndroidAppRestricted or IosAppRestricted.");
    }

    /// <summary>Google reported the key as leaked (403 "API key was reported as leaked"): disabled, with "rotate it", and an alert.</summary>
    public static KeyFailure Leaked(string? message = null, string? project = null)
        => new(FailureKind.Suspended, message, project: project, detail: FailureDetail.Leaked);

    /// <summary>Billing: prepaid credit used up.</summary>
    public static KeyFailure Billing(string? message = null, string? project = null) => new(FailureKind.Billing, message, project: project);

    /// <summary>The server failed; not the key's fault.</summary>
    public static KeyFailure Upstream(string? message = null, TimeSpan? retryAfter = null) => new(FailureKind.Upstream, message, retryAfter);

    /// <summary>The network failed; not the key's fault.</summary>
    public static KeyFailure Transport(string? message = null) => new(FailureKind.Transport, message);

    /// <summary>The request is wrong; not the key's fault, and no other key will do better.</summary>
    public static KeyFailure BadRequest(string? message = null, string? model = null) => new(FailureKind.BadRequest, message, model: model);

    /// <summary>This failure with the HTTP status code that produced it.</summary>
    public KeyFailure WithStatusCode(int? statusCode) =>
        statusCode == StatusCode ? this : new KeyFailure(Kind, Message, RetryAfter, Scope, Model, Project, Detail, statusCode, Service);

    /// <summary>This failure with its message passed through <paramref name="redactor"/> (the same instance when nothing changes).</summary>
    internal KeyFailure RedactedWith(SecretRedactor redactor)
    {
        if (Message is null)
        {
            return this;
        }

        string redacted = redactor.Redact(Message);
        return string.Equals(redacted, Message, StringComparison.Ordinal)
            ? this
            : new KeyFailure(Kind, redacted, RetryAfter, Scope, Model, Project, Detail, StatusCode, Service);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        string text = Kind.ToString();
        if (Kind == FailureKind.RateLimited && Scope != RateLimitScope.Unknown)
        {
            text += $" ({Scope.ToString().ToLowerInvariant()})";
        }

        if (Detail != FailureDetail.None)
        {
            text += $" ({Detail})";
        }

        if (Model is not null)
        {
            text += $" model {Model}";
        }

        if (RetryAfter is { } r)
        {
            text += $" retry after {r.TotalSeconds:0.###}s";
        }

        return Message is null ? text : $"{text}: {Message}";
    }
}
