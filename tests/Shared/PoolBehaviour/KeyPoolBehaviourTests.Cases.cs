using ApiKeys.Diagnostics;
using ApiKeys.Pool;
using Xunit;

namespace ApiKeys.Tests.Behaviour;

public abstract partial class KeyPoolBehaviourTests
{
    [Fact]
    public void Lease_KeyTakenOut_KeyChangedRaisedWithUntilAndReason()
    {
        var (pool, keys) = Pool(2);
        var events = new List<KeyEventArgs>();
        pool.KeyChanged += (_, e) => events.Add(e);
        var now = Now;

        var lease = pool.Acquire();
        lease.Failed(KeyFailure.RateLimited(TimeSpan.FromSeconds(30), RateLimitScope.Minute));
        var other = pool.Acquire();
        other.Failed(KeyFailure.InvalidKey("API key not valid. Please pass a valid API key."));

        Assert.Equal(2, events.Count);
        Assert.Equal((KeyEventKind.Cooling, lease.KeyId, FailureKind.RateLimited), (events[0].Kind, events[0].KeyId, events[0].Failure));
        AssertAt(now + TimeSpan.FromSeconds(30), events[0].Until);
        Assert.Equal(keys.Single(k => k.Id == lease.KeyId).Mask, events[0].Mask);
        Assert.Equal((KeyEventKind.Disabled, other.KeyId, FailureKind.InvalidKey), (events[1].Kind, events[1].KeyId, events[1].Failure));
        Assert.Contains("API key not valid", events[1].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_ConsecutiveFailures_AlertRaisedOnceAtTheThreshold()
    {
        var (pool, keys) = Pool(1, o => (o.AlertAfterConsecutiveFailures, o.FailureThreshold) = (2, 10));
        var alerts = new List<KeyAlertEventArgs>();
        pool.Alert += (_, a) => alerts.Add(a);

        for (int i = 0; i < 3; i++)
        {
            Report(pool, keys[0].Id, KeyOutcome.Failed(KeyFailure.Unknown()));
        }

        var alert = Assert.Single(alerts);
        Assert.Equal((keys[0].Id, 2, FailureKind.Unknown), (alert.KeyId, alert.ConsecutiveFailures, alert.LastError?.Kind));
    }

    [Fact]
    public void Lease_LeakedKey_DisabledAndAlertedAtOnce()
    {
        var (pool, _) = Pool(2);
        var alerts = new List<KeyAlertEventArgs>();
        pool.Alert += (_, a) => alerts.Add(a);

        var lease = pool.Acquire();
        lease.Failed(KeyFailure.Leaked("Your API key was reported as leaked. Please use another API key."));

        Assert.Equal(KeyAvailability.Disabled, StatusOf(pool, lease.KeyId).Availability);
        Assert.Contains("rotate it", Assert.Single(alerts).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Acquire_KeyCoolingForOneModel_ServesOtherModels()
    {
        var (pool, keys) = Pool(1);
        var now = Now;
        pool.Acquire("gemini-2.5-pro").Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(5), RateLimitScope.Minute, "gemini-2.5-pro"));

        var refused = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire("gemini-2.5-pro"));
        using var other = pool.Acquire("gemini-2.5-flash");
        using var any = pool.Acquire();

        Assert.Equal(NoKeyReason.Cooling, refused.Reason);
        AssertAt(now + TimeSpan.FromMinutes(5), refused.AvailableAt);
        Assert.Equal(keys[0].Id, other.KeyId);
        Assert.Equal(keys[0].Id, any.KeyId);
    }

    [Fact]
    public void Report_ProjectRateLimited_SiblingsCoolAndAreAnnounced_OtherProjectsServe()
    {
        var (pool, keys) = Pool(3, project: i => i < 2 ? ProjectA : ProjectB);
        var events = new List<KeyEventArgs>();
        pool.KeyChanged += (_, e) => events.Add(e);

        Report(pool, keys[0].Id, KeyOutcome.Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(1), RateLimitScope.Minute)));

        Assert.Equal(KeyAvailability.Cooling, StatusOf(pool, keys[1].Id).Availability);
        Assert.True(StatusOf(pool, keys[2].Id).IsUsable);
        Assert.Equal([keys[0].Id, keys[1].Id], events.Where(e => e.Kind == KeyEventKind.Cooling).Select(e => e.KeyId));
        Assert.Contains("project", events[1].Reason, StringComparison.Ordinal);
        Assert.All(Enumerable.Range(0, 3), _ => { using var l = pool.Acquire(); Assert.Equal(keys[2].Id, l.KeyId); l.Succeeded(); });
    }

    [Fact]
    public void Report_ServiceDisabled_EveryKeyOfTheProjectDisabled()
    {
        var (pool, keys) = Pool(3, project: i => i < 2 ? ProjectA : ProjectB);

        Report(pool, keys[0].Id, KeyOutcome.Failed(KeyFailure.ServiceDisabled("Generative Language API", ProjectA)));

        Assert.Equal(KeyAvailability.Disabled, StatusOf(pool, keys[1].Id).Availability);
        Assert.Contains("enable the Generative Language API", StatusOf(pool, keys[1].Id).Reason, StringComparison.Ordinal);
        Assert.True(StatusOf(pool, keys[2].Id).IsUsable);
    }

    [Fact]
    public void Revalidated_DisabledKey_BackAndEnabledRaised()
    {
        var (pool, keys) = Pool(1);
        var events = new List<KeyEventArgs>();
        pool.KeyChanged += (_, e) => events.Add(e);
        pool.Acquire().Failed(KeyFailure.InvalidKey());

        var refused = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());
        pool.Revalidated(keys[0].Id, valid: true);
        using var lease = pool.Acquire();

        Assert.Equal((NoKeyReason.AllDisabled, null), (refused.Reason, refused.RetryAfter));
        Assert.Equal(keys[0].Id, lease.KeyId);
        Assert.Equal([KeyEventKind.Disabled, KeyEventKind.Enabled], events.Select(e => e.Kind));
    }

    [Fact]
    public void Acquire_EveryKeyAtTheLeaseCap_AllBusyUntilOneIsReleased()
    {
        var (pool, _) = Pool(2, o => o.MaxLeasesPerKey = 1);
        var first = pool.Acquire();
        using var second = pool.Acquire();

        var refused = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());
        bool found = pool.TryAcquire(out _, out var availableAt);
        first.Dispose();
        using var third = pool.Acquire();

        Assert.Equal((NoKeyReason.AllBusy, null), (refused.Reason, refused.RetryAfter));
        Assert.False(found);
        Assert.Null(availableAt);
        Assert.Equal(first.KeyId, third.KeyId);
        Assert.Equal(1, StatusOf(pool, first.KeyId).InFlight);
    }

    [Fact]
    public void Acquire_EveryKeyCooling_ThrowsWithRetryAfterOfTheFirstBack()
    {
        var (pool, keys) = Pool(2);
        var now = Now;
        Report(pool, keys[0].Id, KeyOutcome.Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(5), RateLimitScope.Minute)));
        Report(pool, keys[1].Id, KeyOutcome.Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(2), RateLimitScope.Minute)));

        var refused = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());
        bool found = pool.TryAcquire(out var none, out var availableAt);

        Assert.Equal(NoKeyReason.Cooling, refused.Reason);
        AssertAt(now + TimeSpan.FromMinutes(2), refused.AvailableAt);
        Assert.InRange(refused.RetryAfter!.Value, TimeSpan.FromMinutes(2) - ClockSlack, TimeSpan.FromMinutes(2));
        Assert.False(found);
        Assert.Null(none);
        AssertAt(now + TimeSpan.FromMinutes(2), availableAt);
    }

    [Fact]
    public void Acquire_EmptyPool_ThrowsEmptyWithNoRetryAfter()
    {
        var (pool, _) = Pool(0);

        var refused = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());

        Assert.Equal((NoKeyReason.Empty, null), (refused.Reason, refused.RetryAfter));
    }

    [Fact]
    public void Lease_ReportedTwice_Refused_DisposeAfterReportChangesNothing()
    {
        var (pool, _) = Pool(1);
        var lease = pool.Acquire();

        lease.Succeeded();
        lease.Dispose();

        Assert.Throws<InvalidOperationException>(() => lease.Failed(KeyFailure.Unknown()));
        var status = StatusOf(pool, lease.KeyId);
        Assert.Equal((1, 0L, 0), ((int)status.State.TotalSuccesses, status.State.TotalFailures, status.InFlight));
    }

    [Fact]
    public void Logs_Transitions_TheSharedEventIdsWithMasksNeverSecrets()
    {
        var (pool, keys) = Pool(3, o => (o.AlertAfterConsecutiveFailures, o.FailureThreshold) = (2, 2));
        pool.KeyChanged += (_, e) => throw new InvalidOperationException($"a handler that fails for {e.KeyId}");

        Report(pool, keys[0].Id, KeyOutcome.Failed(KeyFailure.Unknown()));
        Report(pool, keys[0].Id, KeyOutcome.Failed(KeyFailure.Unknown()));
        Report(pool, keys[1].Id, KeyOutcome.Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(1), RateLimitScope.Minute, "gemini-2.5-pro")));
        Report(pool, keys[2].Id, KeyOutcome.Failed(KeyFailure.Leaked($"Your API key {keys[2].Secret} was reported as leaked.")));
        pool.Revalidated(keys[2].Id, valid: true);

        List<int> ids;
        lock (Logs)
        {
            ids = [.. Logs.Select(l => l.EventId)];
            Assert.All(Logs, l => Assert.DoesNotContain("CANARY", l.Message, StringComparison.Ordinal));
        }

        int[] expected =
        [
            ApiKeysEventIds.KeyBlocked, ApiKeysEventIds.ConsecutiveFailures, ApiKeysEventIds.KeyModelBlocked,
            ApiKeysEventIds.KeyDisabled, ApiKeysEventIds.KeyAlert, ApiKeysEventIds.KeyEnabled, ApiKeysEventIds.HandlerFailed,
        ];
        Assert.All(expected, id => Assert.Contains(id, ids));
        Assert.Equal(4, ids.Count(id => id == ApiKeysEventIds.HandlerFailed));
    }
}
