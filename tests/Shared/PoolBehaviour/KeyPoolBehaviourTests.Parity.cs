using ApiKeys.Pool;
using Xunit;

namespace ApiKeys.Tests.Behaviour;

/// <summary>
/// The cases a backend may not support yet (each is virtual: a backend's suite overrides it with <c>[Fact(Skip = ...)]</c>
/// naming why). Today the Redis pool skips them: issue 10 item 4 brings it to parity.
/// </summary>
public abstract partial class KeyPoolBehaviourTests
{
    /// <summary>Needs a clock the test moves (the Redis pool reads Redis's own) and the Restored event.</summary>
    [Fact]
    public virtual void Cooldown_Ends_KeyBackAndRestoredRaised()
    {
        var (pool, keys) = Pool(1);
        var events = new List<KeyEventArgs>();
        pool.KeyChanged += (_, e) => events.Add(e);
        pool.Acquire().Failed(KeyFailure.RateLimited(TimeSpan.FromSeconds(30), RateLimitScope.Minute));

        Advance(TimeSpan.FromSeconds(31));
        using var lease = pool.Acquire();

        Assert.Equal(keys[0].Id, lease.KeyId);
        Assert.Equal([KeyEventKind.Cooling, KeyEventKind.Restored], events.Select(e => e.Kind));
    }

    /// <summary>The environment-fault guard: half the usable keys failing alike at once, across projects, is not their fault.</summary>
    [Fact]
    public virtual void EnvironmentFault_HalfTheKeysFailAlike_NoKeyTakenOutAndCallersBackOff()
    {
        var (pool, keys) = Pool(4, o => o.EnvironmentFaultGuard = true, project: i => $"projects/{i}");

        for (int i = 0; i < 3; i++)
        {
            Report(pool, keys[i].Id, KeyOutcome.Failed(KeyFailure.InvalidKey()));
        }

        var refused = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());
        Assert.Equal(NoKeyReason.EnvironmentFault, refused.Reason);
        Assert.NotNull(refused.RetryAfter);
        Assert.All(keys, k => Assert.NotEqual(KeyAvailability.Disabled, StatusOf(pool, k.Id).Availability));
    }

    /// <summary>Proactive request limits per key (and model), counted by the pool itself.</summary>
    [Fact]
    public virtual void RequestLimit_Reached_KeyStepsAsideUntilItsWindowEnds()
    {
        var (pool, keys) = Pool(1, o => o.RequestLimits.Add(new RequestLimit { PerMinute = 2 }));
        var events = new List<KeyEventArgs>();
        pool.KeyChanged += (_, e) => events.Add(e);

        pool.Acquire().Succeeded();
        pool.Acquire().Succeeded();
        var refused = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());

        Assert.Equal(NoKeyReason.Cooling, refused.Reason);
        Assert.Equal(KeyEventKind.Cooling, Assert.Single(events).Kind);
        Assert.Contains("request limit", events[0].Reason, StringComparison.Ordinal);
        Assert.Equal(keys[0].Id, events[0].KeyId);
    }

    /// <summary>A report that comes long after the lease was taken (past the Redis pool's lease timeout) still counts.</summary>
    [Fact]
    public virtual void Lease_ReportedLate_OutcomeCounted()
    {
        var (pool, _) = Pool(1);
        var lease = pool.Acquire();

        Advance(TimeSpan.FromDays(1));
        lease.Failed(KeyFailure.InvalidKey());

        var status = StatusOf(pool, lease.KeyId);
        Assert.Equal((KeyAvailability.Disabled, 1L, 0), (status.Availability, status.State.TotalFailures, status.InFlight));
    }
}
