using Microsoft.Extensions.Options;

namespace ApiKeys.Redis;

/// <summary>The source-generated validator of the attributes of <see cref="RedisKeyPoolOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class RedisKeyPoolOptionsAttributeValidator : IValidateOptions<RedisKeyPoolOptions>
{
}
