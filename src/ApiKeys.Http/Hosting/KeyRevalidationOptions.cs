namespace ApiKeys.Http.Hosting;

/// <summary>How <see cref="KeyRevalidationService"/> checks disabled and model-blocked keys.</summary>
public sealed class KeyRevalidationOptions
{
    /// <summary>How often disabled and model-unavailable keys are validated (a list call that spends no quota).</summary>
    /// <value>The default is 1 hour.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The API's base address.</summary>
    /// <value>The default is <c>https://generativelanguage.googleapis.com/</c>.</value>
    public Uri BaseUrl { get; set; } = Validation.KeyValidator.DefaultBaseUrl;

    /// <summary>Whether keys blocked for a model until revalidated (quota <c>limit: 0</c>, a blocked method) are checked too.</summary>
    /// <value>The default is true.</value>
    public bool IncludeModelBlocked { get; set; } = true;
}
