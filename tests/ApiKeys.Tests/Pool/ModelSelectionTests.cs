using ApiKeys.Pool;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Pool;

/// <summary>Leases without a model: a key cooling for some model is handed out only when no key without any cooldown is left.</summary>
public class ModelSelectionTests
{
    private const string Flash = "gemini-2.5-flash";
    private const string Pro = "gemini-2.5-pro";

    [Fact]
    public void Acquire_NoModel_SkipsTheKeyJustLimitedForTheModelTheFailureNamed()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 3);

        using (var lease = pool.Acquire())
        {
            Assert.Equal(TestKeys.Gemini(0), lease.Key);
            lease.Failed(KeyFailure.RateLimited(TimeSpan.FromSeconds(30), RateLimitScope.Minute, Flash));
        }

        var seen = Enumerable.Range(0, 6).Select(_ => Take(pool)).ToList();

        Assert.DoesNotContain(TestKeys.Gemini(0), seen);
        Assert.Equal([TestKeys.Gemini(1), TestKeys.Gemini(2)], seen.Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(KeyAvailability.ModelBlocked, pool.GetStatus(TestKeys.Gemini(0), Flash)!.Availability);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Contains(TestKeys.Gemini(0), Enumerable.Range(0, 3).Select(_ => Take(pool)));
    }

    [Fact]
    public void Acquire_NoModel_EveryKeyCoolingForSomeModel_StillHandsThemOutInTurn()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 2);
        pool.UpdateKeyStatus(TestKeys.Gemini(0), KeyFailure.RateLimited(TimeSpan.FromSeconds(30), RateLimitScope.Minute, Flash));
        pool.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.RateLimited(TimeSpan.FromSeconds(40), RateLimitScope.Minute, Pro));

        var seen = Enumerable.Range(0, 4).Select(_ => Take(pool)).ToList();

        Assert.Equal(2, seen.Distinct().Count());
        Assert.Equal(TestKeys.Gemini(1), Take(pool, Flash));
        Assert.Equal(TestKeys.Gemini(0), Take(pool, Pro));
    }

    [Fact]
    public void Acquire_NoModel_ModelOutUntilRevalidatedIsNoCooldown()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 2);
        pool.UpdateKeyStatus(TestKeys.Gemini(0), KeyFailure.ModelUnavailable(Pro));

        var seen = Enumerable.Range(0, 4).Select(_ => Take(pool)).ToList();

        Assert.Equal(2, seen.Distinct().Count());
    }

    [Fact]
    public void RemoveKey_CoolingForAModel_NeverHandedOutAgain()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 2);
        pool.UpdateKeyStatus(TestKeys.Gemini(0), KeyFailure.RateLimited(TimeSpan.FromSeconds(30), RateLimitScope.Minute, Flash));

        pool.RemoveKey(TestKeys.Gemini(1));

        Assert.Equal(TestKeys.Gemini(0), Take(pool));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(TestKeys.Gemini(0), Take(pool));
    }

    private static string Take(ApiKeyManager pool, string? model = null)
    {
        using var lease = pool.Acquire(model);
        lease.Succeeded();
        return lease.Key;
    }
}
