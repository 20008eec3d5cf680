using Microsoft.Extensions.Options;

namespace ApiKeys.Security;

/// <summary>Validates <see cref="PassphraseProtectorOptions"/>: the attributes (source-generated) and the bounds against each other.</summary>
/// <remarks>It runs in <see cref="PassphraseProtectorOptions.Validate"/>, which the protector's constructor calls; register it to validate these options under DI.</remarks>
public sealed class PassphraseProtectorOptionsValidator : IValidateOptions<PassphraseProtectorOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PassphraseProtectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(new PassphraseProtectorOptionsAttributeValidator().Validate(name, options));
        if (options.MaxIterations < options.MinIterations)
        {
            builder.AddError($"must be at least MinIterations ({options.MinIterations}); it is {options.MaxIterations}.", nameof(options.MaxIterations));
        }
        else if (options.Iterations < options.MinIterations || options.Iterations > options.MaxIterations)
        {
            builder.AddError($"must be between MinIterations ({options.MinIterations}) and MaxIterations ({options.MaxIterations}); it is {options.Iterations}.",
                nameof(options.Iterations));
        }

        return builder.Build();
    }
}
