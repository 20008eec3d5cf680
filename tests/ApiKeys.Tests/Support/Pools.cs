using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Tests.Support;

/// <summary>Builds in-memory pools on a fake clock.</summary>
public static class Pools
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    public static FakeTimeProvider Clock() => new(Start);

    public static ApiKeyManagerOptions NoJitter(Action<ApiKeyManagerOptions>? configure = null)
    {
        var options = new ApiKeyManagerOptions { JitterRatio = 0 };
        configure?.Invoke(options);
        return options;
    }

    public static ApiKeyManager Memory(FakeTimeProvider time, int keys = 3, ApiKeyManagerOptions? options = null, ILogger<ApiKeyManager>? logger = null) =>
        new(apiKeys: TestKeys.Many(keys), options: options ?? NoJitter(), logger: logger, timeProvider: time, random: new Random(42));
}
