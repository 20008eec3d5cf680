using Microsoft.Extensions.Options;

namespace ApiKeys.Usage;

/// <summary>Validates <see cref="UsageStoreOptions"/>: the attributes (source-generated) and the durations.</summary>
public sealed class UsageStoreOptionsValidator : IValidateOptions<UsageStoreOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, UsageStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(new UsageStoreOptionsAttributeValidator().Validate(name, options));
        Check(builder, nameof(options.LogRetention), options.LogRetention, TimeSpan.FromHours(1), TimeSpan.FromDays(3650));
        Check(builder, nameof(options.AggregateRetention), options.AggregateRetention, TimeSpan.FromHours(2), TimeSpan.FromDays(3650));
        Check(builder, nameof(options.FlushInterval), options.FlushInterval, TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10));
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
