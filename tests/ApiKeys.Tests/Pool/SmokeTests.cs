using ApiKeys.Pool;
using ApiKeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Tests.Pool;

public class SmokeTests
{
    [Fact]
    public void GetAvailableKey_RoundRobin_ReturnsEachKeyInTurn()
    {
        using var manager = new ApiKeyManager(apiKeys: TestKeys.Many(3), timeProvider: new FakeTimeProvider());

        var picked = Enumerable.Range(0, 6).Select(_ => manager.GetAvailableKey()!).ToArray();

        Assert.Equal(TestKeys.Many(3).Concat(TestKeys.Many(3)), picked);
    }

    [Fact]
    public void Acquire_ThreeStrikes_CoolsKeyAndRestoresAfterCooldown()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));
        using var manager = new ApiKeyManager(apiKeys: [TestKeys.Gemini(1)], options: new() { JitterRatio = 0 }, timeProvider: time);

        for (int i = 0; i < 3; i++)
        {
            using var lease = manager.Acquire();
            lease.Failed(KeyFailure.Unknown());
        }

        var e = Assert.Throws<NoAvailableKeyException>(() => manager.Acquire());
        Assert.Equal(TimeSpan.FromSeconds(60), e.RetryAfter);
        time.Advance(TimeSpan.FromSeconds(60));
        using var back = manager.Acquire();
        Assert.Equal(TestKeys.Gemini(1), back.Key);
    }
}
