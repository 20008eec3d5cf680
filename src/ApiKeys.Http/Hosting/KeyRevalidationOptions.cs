using System.ComponentModel.DataAnnotations;

namespace ApiKeys.Http.Hosting;

/// <summary>How <see cref="KeyRevalidationService"/> checks disabled and model-blocked keys.</summary>
public sealed class KeyRevalidationOptions
{
    /// <summary>How often disabled and model-unavailable keys are validated (a list call that spends no quota).</summary>
    /// <value>The default is 1 hour. Between 1 minute and 30 days.</value>
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The API's base address (absolute, http or https).</summary>
    /// <value>The default is <c>https://generativelanguage.googleapis.com/</c>.</value>
    [Required]
    public Uri BaseUrl { get; set; } = Validation.KeyValidator.DefaultBaseUrl;

    /// <summary>Whether keys blocked for a model until revalidated (quota <c>limit: 0</c>, a blocked method) are checked too.</summary>
    /// <value>The default is true.</value>
    public bool IncludeModelBlocked { get; set; } = true;

    /// <summary>Validates the options (the same validator runs with and without DI).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public void Validate()
    {
        var result = new KeyRevalidationOptionsValidator().Validate(null, this);
        if (result.Failed)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(KeyRevalidationOptions), typeof(KeyRevalidationOptions), result.Failures);
        }
    }
}
