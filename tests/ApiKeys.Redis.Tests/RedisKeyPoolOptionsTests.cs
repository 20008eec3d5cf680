using ApiKeys.Redis.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiKeys.Redis.Tests;

/// <summary>The Redis pool's options are checked the same way in its constructor and on start (<see cref="IStartupValidator"/>, what a host runs).</summary>
public sealed class RedisKeyPoolOptionsTests(RedisServer server) : IClassFixture<RedisServer>
{
    public static TheoryData<string, Action<RedisKeyPoolOptions>, string> OutOfRange => new()
    {
        { "PoolName", o => o.PoolName = "a}b", "1 to 64 letters, digits" },
        { "KeyPrefix", o => o.KeyPrefix = "", "required" },
        { "LeaseTimeout", o => o.LeaseTimeout = TimeSpan.Zero, "between 1 second and 1 day" },
        { "BusyPollInterval", o => o.BusyPollInterval = TimeSpan.FromHours(1), "between 1 ms and 1 minute" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Constructor_OptionOutOfRange_ThrowsNamingOptionAndRange(string option, Action<RedisKeyPoolOptions> configure, string range)
    {
        using var redis = server.Connect();
        var options = new RedisKeyPoolOptions();
        configure(options);

        var e = Assert.Throws<OptionsValidationException>(() => new RedisKeyPool(redis, [], options));

        AssertNames(e, option, range);
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void UseRedis_OptionOutOfRange_FailsOnStart(string option, Action<RedisKeyPoolOptions> configure, string range)
    {
        var services = new ServiceCollection();
        services.AddApiKeyManager().UseKeys(TestKeys.Many(1)).UseRedis(server.ConnectionString, configure);
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        AssertNames(e, option, range);
    }

    private static void AssertNames(OptionsValidationException e, string option, string range)
    {
        var failure = Assert.Single(e.Failures);
        Assert.Contains(option, failure, StringComparison.Ordinal);
        Assert.Contains(range, failure, StringComparison.OrdinalIgnoreCase);
    }
}
