using Microsoft.Extensions.Options;

namespace ApiKeys.Gateway;

/// <summary>Validates <see cref="GatewayOptions"/>: the attributes (source-generated), the upstream address and the durations.</summary>
public sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(new GatewayOptionsAttributeValidator().Validate(name, options));
        if (!Uri.TryCreate(options.Upstream, UriKind.Absolute, out var upstream) || upstream.Scheme is not ("http" or "https")
            || !string.IsNullOrEmpty(upstream.Query) || !string.IsNullOrEmpty(upstream.UserInfo))
        {
            builder.AddError($"must be an absolute http(s) address without query or user info; it is '{options.Upstream}'.", nameof(options.Upstream));
        }

        Check(builder, nameof(options.ConnectTimeout), options.ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10));
        Check(builder, nameof(options.ResponseHeadersTimeout), options.ResponseHeadersTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(2));
        Check(builder, nameof(options.StreamIdleTimeout), options.StreamIdleTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(2));
        Check(builder, nameof(options.DrainTimeout), options.DrainTimeout, TimeSpan.Zero, TimeSpan.FromHours(1));
        Check(builder, nameof(options.RetryBackoff), options.RetryBackoff, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        return builder.Build();
    }

    /// <summary>Throws when <paramref name="options"/> are not valid (for hosts without DI's <c>ValidateOnStart</c>).</summary>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public static void ThrowIfInvalid(GatewayOptions options)
    {
        var result = new GatewayOptionsValidator().Validate(null, options);
        if (result.Failed)
        {
            throw new OptionsValidationException(nameof(GatewayOptions), typeof(GatewayOptions), result.Failures);
        }
    }

    private static void Check(ValidateOptionsResultBuilder builder, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            builder.AddError($"must be between {min} and {max}; it is {value}.", name);
        }
    }
}
