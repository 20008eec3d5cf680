using Microsoft.Extensions.Options;

namespace ApiKeys;

/// <summary>Validates <see cref="ApiKeyManagerOptions"/>: the <c>[Range]</c> attributes (source-generated) and the durations.</summary>
/// <remarks>The same validator runs with DI (<c>ValidateOnStart</c>) and without (<see cref="ApiKeyManagerOptions.Validate"/>).</remarks>
public sealed class ApiKeyManagerOptionsValidator : IValidateOptions<ApiKeyManagerOptions>
{
    private static readonly TimeSpan Month = TimeSpan.FromDays(30);

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, ApiKeyManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(new ApiKeyManagerOptionsAttributeValidator().Validate(name, options));
        Check(builder, nameof(options.BaseCooldown), options.BaseCooldown, TimeSpan.FromMilliseconds(1), Month);
        Check(builder, nameof(options.MaxCooldown), options.MaxCooldown, TimeSpan.FromMilliseconds(1), Month);
        Check(builder, nameof(options.MaxBillingCooldown), options.MaxBillingCooldown, TimeSpan.FromMilliseconds(1), Month);
        Check(builder, nameof(options.CooldownDecay), options.CooldownDecay, TimeSpan.FromMilliseconds(1), Month);
        Check(builder, nameof(options.EnvironmentFaultWindow), options.EnvironmentFaultWindow, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        Check(builder, nameof(options.RotationAge), options.RotationAge, TimeSpan.FromDays(1), TimeSpan.FromDays(3650));
        Check(builder, nameof(options.SyncInterval), options.SyncInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
        if (options.MaxCooldown < options.BaseCooldown)
        {
            builder.AddError("must not be shorter than BaseCooldown.", nameof(options.MaxCooldown));
        }

        return builder.Build();
    }

    private static void Check(ValidateOptionsResultBuilder builder, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max)
        {
            builder.AddError($"must be between {min} and {max}; it is {value}.", name);
        }
    }
}

/// <summary>The source-generated validator of the <c>[Range]</c> attributes.</summary>
[OptionsValidator]
internal sealed partial class ApiKeyManagerOptionsAttributeValidator : IValidateOptions<ApiKeyManagerOptions>
{
}
