using Microsoft.Extensions.Options;

namespace ApiKeys.Http.Hosting;

/// <summary>Validates <see cref="KeyRevalidationOptions"/>: the attributes (source-generated), the interval and the address.</summary>
/// <remarks>The same validator runs with DI (<c>ValidateOnStart</c>) and without (<see cref="KeyRevalidationOptions.Validate"/>, in the service's constructor).</remarks>
public sealed class KeyRevalidationOptionsValidator : IValidateOptions<KeyRevalidationOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, KeyRevalidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(new KeyRevalidationOptionsAttributeValidator().Validate(name, options));
        if (options.Interval < TimeSpan.FromMinutes(1) || options.Interval > TimeSpan.FromDays(30))
        {
            builder.AddError($"must be between 00:01:00 and 30.00:00:00; it is {options.Interval}.", nameof(options.Interval));
        }

        if (options.BaseUrl is { } url && !(url.IsAbsoluteUri && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
        {
            builder.AddError($"must be an absolute http or https address; it is '{url}'.", nameof(options.BaseUrl));
        }

        return builder.Build();
    }
}
