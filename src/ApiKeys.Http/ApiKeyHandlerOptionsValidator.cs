using Microsoft.Extensions.Options;

namespace ApiKeys.Http;

/// <summary>Validates <see cref="ApiKeyHandlerOptions"/>: the attributes (source-generated) and the durations.</summary>
/// <remarks>The same validator runs with DI (<c>ValidateOnStart</c>) and without (<see cref="ApiKeyHandlerOptions.Validate"/>, in the handler's constructor).</remarks>
public sealed class ApiKeyHandlerOptionsValidator : IValidateOptions<ApiKeyHandlerOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ApiKeyHandlerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(new ApiKeyHandlerOptionsAttributeValidator().Validate(name, options));
        if (options.BaseBackoff < TimeSpan.Zero || options.BaseBackoff > TimeSpan.FromMinutes(1))
        {
            builder.AddError($"must be between 00:00:00 and 00:01:00; it is {options.BaseBackoff}.", nameof(options.BaseBackoff));
        }

        if (options.MaxBackoff < options.BaseBackoff || options.MaxBackoff > TimeSpan.FromHours(1))
        {
            builder.AddError($"must be between BaseBackoff ({options.BaseBackoff}) and 01:00:00; it is {options.MaxBackoff}.", nameof(options.MaxBackoff));
        }

        if (options.AttemptTimeout is { } timeout && (timeout < TimeSpan.FromMilliseconds(1) || timeout > TimeSpan.FromDays(1)))
        {
            builder.AddError($"must be null or between 00:00:00.001 and 1.00:00:00; it is {timeout}.", nameof(options.AttemptTimeout));
        }

        return builder.Build();
    }
}
