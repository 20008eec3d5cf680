using ApiKeys.Pool;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Pool;

/// <summary>The environment-fault guard excuses strikes and escalation; it never shortens a cooldown the server asked for.</summary>
public class EnvironmentFaultGuardTests
{
    private const string Flash = "gemini-2.5-flash";

    [Fact]
    public void Trip_PerMinuteQuotaWithRetryDelay_KeysStayOutForTheServersDelay()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 4);

        for (int i = 0; i < 3; i++)
        {
            pool.UpdateKeyStatus(TestKeys.Gemini(i), KeyFailure.RateLimited(TimeSpan.FromSeconds(30), RateLimitScope.Minute, Flash));
        }

        var backOff = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire(Flash));
        Assert.Equal(NoKeyReason.EnvironmentFault, backOff.Reason);
        time.Advance(backOff.RetryAfter!.Value);
        Assert.True(backOff.RetryAfter < TimeSpan.FromSeconds(30));
        for (int i = 0; i < 3; i++)
        {
            var status = pool.GetStatus(TestKeys.Gemini(i), Flash)!;
            Assert.Equal(KeyAvailability.ModelBlocked, status.Availability);
            Assert.Equal(Pools.Start.AddSeconds(30), status.AvailableAt);
            Assert.Equal(0, status.State.Models[Flash].Level); // no escalation
            Assert.Equal(0, status.State.Failures);
        }

        using (var lease = pool.Acquire(Flash))
        {
            Assert.Equal(TestKeys.Gemini(3), lease.Key);
        }

        time.Advance(Pools.Start.AddSeconds(30) - time.GetUtcNow());
        Assert.Equal(4, Enumerable.Range(0, 4).Count(i => pool.GetStatus(TestKeys.Gemini(i), Flash)!.IsUsable));
    }

    [Fact]
    public void Tripped_LaterFailureWithRetryDelay_KeepsItsCooldownButNoEscalation()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 5);
        for (int i = 0; i < 3; i++)
        {
            pool.UpdateKeyStatus(TestKeys.Gemini(i), KeyFailure.RateLimited(TimeSpan.FromSeconds(30), RateLimitScope.Minute, Flash));
        }

        pool.UpdateKeyStatus(TestKeys.Gemini(3), KeyFailure.RateLimited(TimeSpan.FromSeconds(20), RateLimitScope.Minute, Flash));
        pool.UpdateKeyStatus(TestKeys.Gemini(4), KeyFailure.RateLimited(scope: RateLimitScope.Unknown, model: Flash));

        var delayed = pool.GetStatus(TestKeys.Gemini(3), Flash)!;
        Assert.Equal(Pools.Start.AddSeconds(20), delayed.AvailableAt);
        Assert.Equal(0, delayed.State.Models[Flash].Level);
        Assert.True(pool.GetStatus(TestKeys.Gemini(4), Flash)!.IsUsable); // no delay asked: excused entirely
    }

    [Fact]
    public void Trip_EscalatingFailures_NoStrikesAndEveryKeyBackAfterTheWindow()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 4, options: Pools.NoJitter(o => o.FailureThreshold = 1));

        for (int i = 0; i < 3; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            pool.UpdateKeyStatus(TestKeys.Gemini(i), success: false);
        }

        var e = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());
        Assert.Equal(NoKeyReason.EnvironmentFault, e.Reason);
        time.Advance(e.RetryAfter!.Value);
        Assert.Equal(4, pool.GetStatuses().Count(s => s.IsUsable));
        Assert.All(pool.GetStatuses(), s => Assert.Equal(0, s.State.CooldownLevel));
    }
}
