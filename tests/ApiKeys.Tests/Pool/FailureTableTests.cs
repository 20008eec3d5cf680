using ApiKeys.Pool;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Pool;

/// <summary>Every row of DESIGN.md's failure table, through the pool.</summary>
public class FailureTableTests
{
    private const string Flash = "gemini-2.5-flash";
    private const string Pro = "gemini-2.5-pro";

    [Fact]
    public void Unknown_BelowThreshold_KeepsKeyUsable()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 1);

        Fail(pool, KeyFailure.Unknown());
        Fail(pool, KeyFailure.Unknown());

        var status = pool.GetStatuses()[0];
        Assert.True(status.IsUsable);
        Assert.Equal(2, status.State.Failures);
    }

    [Fact]
    public void Unknown_AtThreshold_CoolsForBaseCooldownThenEscalates()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 1);

        for (int i = 0; i < 3; i++)
        {
            Fail(pool, KeyFailure.Unknown());
        }

        var first = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());
        time.Advance(TimeSpan.FromSeconds(60));
        Fail(pool, KeyFailure.Unknown());
        var second = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());

        Assert.Equal(TimeSpan.FromSeconds(60), first.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(120), second.RetryAfter);
        Assert.Equal(NoKeyReason.Cooling, second.Reason);
    }

    [Fact]
    public void Unknown_Escalation_IsCappedAtMaxCooldown()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 1);
        TimeSpan? last = null;

        for (int round = 0; round < 10; round++)
        {
            // A key that failed its way into a cooldown goes back on probation: one more failure cools it again.
            while (pool.GetStatuses()[0].IsUsable)
            {
                Fail(pool, KeyFailure.Unknown());
            }

            last = pool.GetStatuses()[0].AvailableAt - time.GetUtcNow();
            time.Advance(last!.Value);
        }

        Assert.Equal(TimeSpan.FromHours(1), last);
    }

    [Fact]
    public void Unknown_Jitter_StaysWithinTenPercent()
    {
        var time = Pools.Clock();
        var options = new ApiKeyManagerOptions();
        var delays = new List<double>();

        for (int seed = 0; seed < 50; seed++)
        {
            using var pool = new ApiKeyManager(apiKeys: [TestKeys.Gemini(1)], options: options, timeProvider: time, random: new Random(seed));
            for (int i = 0; i < 3; i++)
            {
                Fail(pool, KeyFailure.Unknown());
            }

            delays.Add((pool.GetStatuses()[0].AvailableAt!.Value - time.GetUtcNow()).TotalSeconds);
        }

        Assert.All(delays, d => Assert.InRange(d, 54, 66));
        Assert.True(delays.Distinct().Count() > 10, "jitter spreads cooldowns");
    }

    [Fact]
    public void Success_ResetsFailuresAndDecaysLevelAfterQuietPeriod()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 1);
        for (int i = 0; i < 3; i++)
        {
            Fail(pool, KeyFailure.Unknown());
        }

        time.Advance(TimeSpan.FromMinutes(1));
        Succeed(pool);
        int levelRightAfter = pool.GetStatuses()[0].State.CooldownLevel;
        time.Advance(TimeSpan.FromMinutes(10));
        Succeed(pool);

        var state = pool.GetStatuses()[0].State;
        Assert.Equal(0, state.Failures);
        Assert.Equal(1, levelRightAfter);
        Assert.Equal(0, state.CooldownLevel);
    }

    [Fact]
    public void RateLimitedMinute_CoolsKeyForModelForServerDelay_OtherModelsStillServed()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 1);

        Fail(pool, KeyFailure.RateLimited(TimeSpan.FromSeconds(46), RateLimitScope.Minute, Flash), Flash);

        Assert.False(pool.TryAcquire(out _, out var at, Flash));
        Assert.Equal(time.GetUtcNow().AddSeconds(46), at);
        using (var other = pool.Acquire(Pro))
        {
            Assert.Equal(TestKeys.Gemini(0), other.Key);
        }

        time.Advance(TimeSpan.FromSeconds(46));
        using var back = pool.Acquire(Flash);
        Assert.Equal(TestKeys.Gemini(0), back.Key);
    }

    [Fact]
    public void RateLimitedWithoutDelay_EscalatesFromBaseCooldown()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 1);

        Fail(pool, KeyFailure.RateLimited(null, RateLimitScope.Unknown, Flash), Flash);
        var first = pool.GetStatuses(Flash)[0].AvailableAt;
        time.Advance(TimeSpan.FromSeconds(60));
        Fail(pool, KeyFailure.RateLimited(null, RateLimitScope.Unknown, Flash), Flash);
        var second = pool.GetStatuses(Flash)[0].AvailableAt;

        Assert.Equal(Pools.Start.AddSeconds(60), first);
        Assert.Equal(Pools.Start.AddSeconds(60 + 120), second);
    }

    [Fact]
    public void RateLimitedDay_IgnoresRetryDelay_CoolsUntilPacificMidnight()
    {
        var time = Pools.Clock(); // 12:00 UTC = 04:00 PST on 2026-11-25
        using var pool = Pools.Memory(time, keys: 1);

        Fail(pool, KeyFailure.RateLimited(TimeSpan.FromSeconds(7), RateLimitScope.Day, Pro), Pro);

        var status = pool.GetStatuses(Pro)[0];
        Assert.Equal(KeyAvailability.ModelBlocked, status.Availability);
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero), status.AvailableAt);
    }

    [Fact]
    public void RateLimited_SameProject_CoolsEveryKeyOfTheProject()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 0);
        pool.AddKey(TestKeys.Gemini(1), project: "p1");
        pool.AddKey(TestKeys.Gemini(2), project: "p1");
        pool.AddKey(TestKeys.Gemini(3), project: "p2");

        using (var lease = pool.Acquire(Flash))
        {
            lease.Failed(KeyFailure.RateLimited(TimeSpan.FromSeconds(30), RateLimitScope.Minute, Flash));
        }

        var usable = pool.GetStatuses(Flash).Where(s => s.IsUsable).Select(s => s.Project).ToList();
        Assert.Equal(["p2"], usable);
        using var next = pool.Acquire(Flash);
        Assert.Equal(TestKeys.Gemini(3), next.Key);
    }

    [Fact]
    public void RateLimited_ProjectLearnedFromError_CoolsSiblingsWithoutConfiguration()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 3);
        pool.Report(pool.ResolveId(TestKeys.Gemini(0))!, KeyOutcome.Failed(KeyFailure.Upstream("x")));
        pool.UpdateKeyStatus(TestKeys.Gemini(0), KeyFailure.Suspended("suspended", project: "projects/1"));
        pool.Enable(TestKeys.Gemini(0));
        pool.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.Upstream("boom"));
        pool.Report(pool.ResolveId(TestKeys.Gemini(1))!, KeyOutcome.Failed(KeyFailure.RateLimited(null, RateLimitScope.Unknown, null, "x", project: "projects/1")));

        var statuses = pool.GetStatuses();

        Assert.Equal("projects/1", statuses[0].Project);
        Assert.Equal(KeyAvailability.Cooling, statuses[0].Availability);
        Assert.Equal(KeyAvailability.Cooling, statuses[1].Availability);
        Assert.True(statuses[2].IsUsable);
    }

    [Fact]
    public void ModelUnavailable_TakesModelOutUntilRevalidated()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 1);

        Fail(pool, KeyFailure.ModelUnavailable(Pro), Pro);
        time.Advance(TimeSpan.FromDays(2));

        var e = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire(Pro));
        Assert.Null(e.RetryAfter);
        Assert.Equal(NoKeyReason.AllDisabled, e.Reason);
        using (pool.Acquire(Flash))
        {
        }

        pool.Revalidated(TestKeys.Gemini(0), valid: true);
        using var back = pool.Acquire(Pro);
        Assert.Equal(TestKeys.Gemini(0), back.Key);
    }

    [Theory]
    [InlineData(FailureKind.InvalidKey)]
    [InlineData(FailureKind.Suspended)]
    public void InvalidOrSuspended_DisablesAtOnce_UntilEnabled(FailureKind kind)
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 1);
        var failure = kind == FailureKind.InvalidKey ? KeyFailure.InvalidKey("API key not valid") : KeyFailure.Suspended("suspended");

        Fail(pool, failure);
        time.Advance(TimeSpan.FromDays(30));

        var e = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());
        Assert.Null(e.RetryAfter);
        Assert.Equal(KeyAvailability.Disabled, pool.GetStatuses()[0].Availability);
        pool.Enable(TestKeys.Gemini(0));
        using var back = pool.Acquire();
        Assert.Equal(TestKeys.Gemini(0), back.Key);
    }

    [Fact]
    public void ForbiddenServiceBlocked_TakesOnlyThatModelOut()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 1);

        Fail(pool, KeyFailure.Forbidden("blocked", serviceBlocked: true, model: Flash), Flash);

        Assert.False(pool.TryAcquire(out _, out var at, Flash));
        Assert.Null(at);
        using var other = pool.Acquire(Pro);
        Assert.Equal(TestKeys.Gemini(0), other.Key);
    }

    [Fact]
    public void ForbiddenOther_IsAStrike()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 1);

        Fail(pool, KeyFailure.Forbidden("denied"));
        Fail(pool, KeyFailure.Forbidden("denied"));
        Fail(pool, KeyFailure.Forbidden("denied"));

        Assert.Equal(KeyAvailability.Cooling, pool.GetStatuses()[0].Availability);
    }

    [Fact]
    public void Billing_CoolsKeyAndProject_EscalatingUntilRevalidated()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 0);
        pool.AddKey(TestKeys.Gemini(1), project: "billing");
        pool.AddKey(TestKeys.Gemini(2), project: "billing");
        pool.AddKey(TestKeys.Gemini(3), project: "other");

        pool.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.Billing("credit used up"));

        var statuses = pool.GetStatuses();
        Assert.Equal(KeyAvailability.Cooling, statuses[0].Availability);
        Assert.Equal(KeyAvailability.Cooling, statuses[1].Availability);
        Assert.True(statuses[2].IsUsable);
        Assert.Equal(Pools.Start.AddHours(1), statuses[0].AvailableAt);
        pool.Revalidated(TestKeys.Gemini(1), valid: true);
        Assert.True(pool.GetStatus(TestKeys.Gemini(1))!.IsUsable);
    }

    [Theory]
    [InlineData(FailureKind.Upstream)]
    [InlineData(FailureKind.Transport)]
    [InlineData(FailureKind.BadRequest)]
    public void NotTheKeysFault_NoStrikeNoCooldown(FailureKind kind)
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 1);
        var failure = kind switch
        {
            FailureKind.Upstream => KeyFailure.Upstream("503 overloaded"),
            FailureKind.Transport => KeyFailure.Transport("connection reset"),
            _ => KeyFailure.BadRequest("invalid argument"),
        };

        for (int i = 0; i < 10; i++)
        {
            Fail(pool, failure);
        }

        var status = pool.GetStatuses()[0];
        Assert.True(status.IsUsable);
        Assert.Equal(0, status.State.Failures);
        Assert.Equal(10, status.State.TotalFailures);
        Assert.Equal(kind, status.State.LastError!.Kind);
    }

    [Theory]
    [InlineData(FailureKind.Upstream, true, true)]
    [InlineData(FailureKind.Transport, true, true)]
    [InlineData(FailureKind.BadRequest, false, false)]
    [InlineData(FailureKind.RateLimited, true, false)]
    [InlineData(FailureKind.InvalidKey, true, false)]
    public void KeyFailure_RetryAndBackoff_FollowTheTable(FailureKind kind, bool retry, bool backoff)
    {
        var failure = kind switch
        {
            FailureKind.Upstream => KeyFailure.Upstream(),
            FailureKind.Transport => KeyFailure.Transport(),
            FailureKind.BadRequest => KeyFailure.BadRequest(),
            FailureKind.RateLimited => KeyFailure.RateLimited(),
            _ => KeyFailure.InvalidKey(),
        };

        Assert.Equal(retry, failure.ShouldRetryOnAnotherKey);
        Assert.Equal(backoff, failure.NeedsBackoff);
    }

    private static void Fail(ApiKeyManager pool, KeyFailure failure, string? model = null)
    {
        using var lease = pool.Acquire(model);
        lease.Failed(failure);
    }

    private static void Succeed(ApiKeyManager pool, string? model = null)
    {
        using var lease = pool.Acquire(model);
        lease.Succeeded();
    }
}
