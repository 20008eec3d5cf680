using Microsoft.Extensions.Options;

namespace ApiKeys.Redis;

/// <summary>Validates <see cref="RedisKeyPoolOptions"/>: the attributes (source-generated) and the durations.</summary>
public sealed class RedisKeyPoolOptionsValidator : IValidateOptions<RedisKeyPoolOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, RedisKeyPoolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ValidateOptionsResultBuilder();
        builder.AddResult(new RedisKeyPoolOptionsAttributeValidator().Validate(name, options));
        if (options.LeaseTimeout < TimeSpan.FromSeconds(1) || options.LeaseTimeout > TimeSpan.FromDays(1))
        {
            builder.AddError($"must be between 1 second and 1 day; it is {options.LeaseTimeout}.", nameof(options.LeaseTimeout));
        }

        if (options.BusyPollInterval < TimeSpan.FromMilliseconds(1) || options.BusyPollInterval > TimeSpan.FromMinutes(1))
        {
            builder.AddError($"must be between 1 ms and 1 minute; it is {options.BusyPollInterval}.", nameof(options.BusyPollInterval));
        }

        return builder.Build();
    }
}
