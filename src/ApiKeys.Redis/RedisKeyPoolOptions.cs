using System.ComponentModel.DataAnnotations;

namespace ApiKeys.Redis;

/// <summary>How a pool shares its state through Redis.</summary>
public sealed class RedisKeyPoolOptions
{
    /// <summary>The pool's name: processes using the same name (and Redis) share one pool; other names are kept apart.</summary>
    /// <value>The default is <c>default</c>.</value>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "PoolName: 1 to 64 letters, digits, '.', '_' or '-'.")]
    public string PoolName { get; set; } = "default";

    /// <summary>The first part of every Redis key name (<c>{prefix}:{{pool}}:...</c>).</summary>
    /// <value>The default is <c>apikeys</c>.</value>
    [Required]
    [RegularExpression("^[A-Za-z0-9._:-]{1,64}$", ErrorMessage = "KeyPrefix: 1 to 64 letters, digits, '.', ':', '_' or '-'.")]
    public string KeyPrefix { get; set; } = "apikeys";

    /// <summary>
    /// When Redis cannot be reached: false, calls fail fast with <see cref="RedisKeyPoolUnavailableException"/>; true, this
    /// process serves from its own in-memory pool over the same keys and merges what it learned into Redis once it is back.
    /// </summary>
    /// <value>The default is false.</value>
    public bool FallbackToLocal { get; set; }

    /// <summary>How long a lease may stay unreported before it stops counting against its key's cap (its process probably died).</summary>
    /// <value>The default is 10 minutes.</value>
    public TimeSpan LeaseTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often <see cref="RedisKeyPool.AcquireAsync"/> looks again when every key is busy (no cooldown end to wait for).</summary>
    /// <value>The default is 50 milliseconds.</value>
    public TimeSpan BusyPollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Validates the options.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public void Validate()
    {
        var result = new RedisKeyPoolOptionsValidator().Validate(null, this);
        if (result.Failed)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(RedisKeyPoolOptions), typeof(RedisKeyPoolOptions), result.Failures);
        }
    }
}
