using ApiKeys.Pool;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Pool;

public class ApiKeyManagerTests
{
    [Fact]
    public void Constructor_NullAndEmptyEntries_AreSkipped()
    {
        string?[] keys = [TestKeys.Gemini(1), null, "", "  ", TestKeys.Gemini(2), TestKeys.Gemini(1)];

        using var pool = new ApiKeyManager(apiKeys: keys, timeProvider: Pools.Clock());

        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void FromEnvironment_NumberedVariablesWithGaps_AreRead()
    {
        string prefix = "APIKEYS_TEST_" + Guid.NewGuid().ToString("N")[..8] + "_";
        Environment.SetEnvironmentVariable(prefix + "1", TestKeys.Gemini(1));
        Environment.SetEnvironmentVariable(prefix + "3", TestKeys.Gemini(3));
        Environment.SetEnvironmentVariable(prefix + "X", TestKeys.Gemini(9));
        try
        {
            using var pool = ApiKeyManager.FromEnvironment(prefix);

            Assert.Equal([TestKeys.Gemini(1), TestKeys.Gemini(3)], pool.Keys.Select(k => k.Secret));
        }
        finally
        {
            Environment.SetEnvironmentVariable(prefix + "1", null);
            Environment.SetEnvironmentVariable(prefix + "3", null);
            Environment.SetEnvironmentVariable(prefix + "X", null);
        }
    }

    [Fact]
    public void GetAvailableKey_EmptyPool_ReturnsNull()
    {
        using var pool = new ApiKeyManager(apiKeys: [], timeProvider: Pools.Clock());

        Assert.Null(pool.GetAvailableKey());
        var e = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());
        Assert.Equal(NoKeyReason.Empty, e.Reason);
    }

    [Fact]
    public void UpdateKeyStatus_SeedLoop_BlocksAfterThreeFailures()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 2);

        for (int i = 0; i < 6; i++)
        {
            var key = pool.GetAvailableKey()!;
            pool.UpdateKeyStatus(key, success: key != TestKeys.Gemini(0));
        }

        Assert.Equal(TestKeys.Gemini(1), pool.GetAvailableKey());
        Assert.Equal(TestKeys.Gemini(1), pool.GetAvailableKey());
        Assert.Equal(KeyAvailability.Cooling, pool.GetStatuses()[0].Availability);
    }

    [Fact]
    public void UpdateKeyStatus_UnknownKey_IsIgnored()
    {
        using var pool = Pools.Memory(Pools.Clock(), keys: 1);

        pool.UpdateKeyStatus(TestKeys.Gemini(99), success: false);

        Assert.Equal(0, pool.GetStatuses()[0].State.TotalFailures);
    }

    [Fact]
    public void Lease_SecondReport_Throws()
    {
        using var pool = Pools.Memory(Pools.Clock(), keys: 1);
        var lease = pool.Acquire();
        lease.Succeeded();

        var e = Assert.Throws<InvalidOperationException>(() => lease.Failed(KeyFailure.Unknown()));

        Assert.Contains("already reported", e.Message);
        Assert.Equal(1, pool.GetStatuses()[0].State.TotalSuccesses);
        Assert.Equal(0, pool.GetStatuses()[0].State.TotalFailures);
    }

    [Fact]
    public void Lease_DisposedWithoutReport_ReleasesWithNoStrike()
    {
        using var pool = Pools.Memory(Pools.Clock(), keys: 1, options: Pools.NoJitter(o => o.MaxLeasesPerKey = 1));

        pool.Acquire().Dispose();
        pool.Acquire().Dispose();

        var state = pool.GetStatuses()[0].State;
        Assert.Equal(0, state.TotalFailures + state.TotalSuccesses);
        Assert.Equal(0, pool.GetStatuses()[0].InFlight);
    }

    [Fact]
    public void Lease_ToString_ShowsMaskNotSecret()
    {
        using var pool = Pools.Memory(Pools.Clock(), keys: 1);

        using var lease = pool.Acquire();

        Assert.DoesNotContain(lease.Key, lease.ToString(), StringComparison.Ordinal);
        Assert.Contains(lease.Mask, lease.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(lease.Key, pool.Keys[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MaxLeasesPerKey_CapReached_KeySkippedUntilReleased()
    {
        using var pool = Pools.Memory(Pools.Clock(), keys: 2, options: Pools.NoJitter(o => o.MaxLeasesPerKey = 1));

        var a = pool.Acquire();
        var b = pool.Acquire();
        var e = Assert.Throws<NoAvailableKeyException>(() => pool.Acquire());
        a.Succeeded();
        using var c = pool.Acquire();

        Assert.NotEqual(a.Key, b.Key);
        Assert.Equal(NoKeyReason.AllBusy, e.Reason);
        Assert.Equal(a.Key, c.Key);
        b.Dispose();
    }

    [Fact]
    public void Lease_OutlivingRemoveAndReAdd_DoesNotReleaseTheNewKeysLease()
    {
        using var pool = Pools.Memory(Pools.Clock(), keys: 1, options: Pools.NoJitter(o => o.MaxLeasesPerKey = 1));
        var stale = pool.Acquire();
        pool.RemoveKey(TestKeys.Gemini(0));
        pool.AddKey(TestKeys.Gemini(0));
        using var current = pool.Acquire();

        stale.Dispose();

        Assert.False(pool.TryAcquire(out _), "the cap of one lease held: the stale lease released nothing of the new key");
        Assert.Equal(1, pool.GetStatuses()[0].InFlight);
    }

    [Fact]
    public void LeastRecentlyUsed_RestoredKey_IsPickedNext()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 3, options: Pools.NoJitter(o => { o.Selection = KeySelection.LeastRecentlyUsed; o.FailureThreshold = 1; }));
        using (var first = pool.Acquire())
        {
            first.Failed(KeyFailure.Unknown());
        }

        pool.Acquire().Succeeded();
        time.Advance(TimeSpan.FromSeconds(60));

        using var next = pool.Acquire();

        Assert.Equal(TestKeys.Gemini(0), next.Key);
    }

    [Fact]
    public void RoundRobin_RestoredKey_JoinsEndOfRound()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 3, options: Pools.NoJitter(o => o.FailureThreshold = 1));
        using (var first = pool.Acquire())
        {
            first.Failed(KeyFailure.Unknown());
        }

        time.Advance(TimeSpan.FromSeconds(60));

        var order = Enumerable.Range(0, 3).Select(_ => pool.GetAvailableKey()!).ToArray();

        Assert.Equal([TestKeys.Gemini(1), TestKeys.Gemini(2), TestKeys.Gemini(0)], order);
    }

    [Fact]
    public async Task AcquireAsync_AllCooling_WaitsForTheNextKey()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 1, options: Pools.NoJitter(o => o.FailureThreshold = 1));
        using (var lease = pool.Acquire())
        {
            lease.Failed(KeyFailure.Unknown());
        }

        var pending = pool.AcquireAsync();
        Assert.False(pending.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(60));
        using var back = await pending.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(TestKeys.Gemini(0), back.Key);
    }

    [Fact]
    public async Task AcquireAsync_AllDisabled_FailsAtOnce()
    {
        using var pool = Pools.Memory(Pools.Clock(), keys: 1);
        pool.UpdateKeyStatus(TestKeys.Gemini(0), KeyFailure.InvalidKey());

        var e = await Assert.ThrowsAsync<NoAvailableKeyException>(() => pool.AcquireAsync());

        Assert.Equal(NoKeyReason.AllDisabled, e.Reason);
        Assert.Null(e.RetryAfter);
    }

    [Fact]
    public async Task AcquireAsync_Cancelled_Throws()
    {
        using var pool = Pools.Memory(Pools.Clock(), keys: 1, options: Pools.NoJitter(o => o.FailureThreshold = 1));
        pool.UpdateKeyStatus(TestKeys.Gemini(0), success: false);
        using var cts = new CancellationTokenSource();

        var pending = pool.AcquireAsync(cancellationToken: cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
    }

    [Fact]
    public void Events_CoolingRestoredDisabledEnabled_AreRaised()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 2, options: Pools.NoJitter(o => o.FailureThreshold = 1));
        var events = new List<KeyEventArgs>();
        pool.KeyChanged += (_, e) => events.Add(e);

        pool.UpdateKeyStatus(TestKeys.Gemini(0), success: false);
        time.Advance(TimeSpan.FromSeconds(61));
        pool.GetAvailableKey();
        pool.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.InvalidKey("bad"));
        pool.Enable(TestKeys.Gemini(1));

        Assert.Equal([KeyEventKind.Cooling, KeyEventKind.Restored, KeyEventKind.Disabled, KeyEventKind.Enabled], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.DoesNotContain("CANARY", e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Alert_AtConfiguredConsecutiveFailures_RaisedOnce()
    {
        using var pool = Pools.Memory(Pools.Clock(), keys: 1, options: Pools.NoJitter(o => { o.FailureThreshold = 100; o.AlertAfterConsecutiveFailures = 4; }));
        var alerts = new List<KeyAlertEventArgs>();
        pool.Alert += (_, a) => alerts.Add(a);

        for (int i = 0; i < 6; i++)
        {
            pool.UpdateKeyStatus(TestKeys.Gemini(0), success: false);
        }

        var alert = Assert.Single(alerts);
        Assert.Equal(4, alert.ConsecutiveFailures);
    }

    [Fact]
    public void GetHealth_FewerThanThreeUsableAndOldKeys_Warns()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 3);
        pool.UpdateKeyStatus(TestKeys.Gemini(0), KeyFailure.InvalidKey());
        time.Advance(TimeSpan.FromDays(91));

        var health = pool.GetHealth();

        Assert.Equal(2, health.UsableKeys);
        Assert.Equal(3, health.KeysDueForRotation.Count);
        Assert.Contains(health.Warnings, w => w.Contains("maintain at least 3 active keys"));
        Assert.Contains(health.Warnings, w => w.Contains("rotate keys quarterly"));
    }

    [Fact]
    public void EnvironmentFault_ScatteredStrikesBelowThreshold_NeverTrip()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 7);

        for (int i = 0; i < 1000; i++)
        {
            var key = pool.GetAvailableKey()!;
            pool.UpdateKeyStatus(key, success: i % 10 != 0);
        }

        Assert.Null(pool.GetHealth().BackOffUntil);
        Assert.Equal(7, pool.GetStatuses().Count(s => s.IsUsable));
        Assert.Equal(100, pool.GetStatuses().Sum(s => s.State.TotalFailures));
    }

    [Fact]
    public void EnvironmentFault_OneProjectOnly_IsTheKeysFault()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 0, options: Pools.NoJitter(o => o.FailureThreshold = 1));
        for (int i = 0; i < 4; i++)
        {
            pool.AddKey(TestKeys.Gemini(i), project: "same");
        }

        for (int i = 0; i < 3; i++)
        {
            pool.UpdateKeyStatus(TestKeys.Gemini(i), success: false);
        }

        Assert.Equal(1, pool.GetStatuses().Count(s => s.IsUsable));
    }

    [Fact]
    public void RequestLimits_PerMinuteReached_KeyStepsAsideForThatModel()
    {
        var time = Pools.Clock();
        var options = Pools.NoJitter();
        options.RequestLimits.Add(new RequestLimit { Model = "gemini-2.5-pro", PerMinute = 2 });
        using var pool = Pools.Memory(time, keys: 1, options: options);

        pool.Acquire("gemini-2.5-pro").Succeeded();
        pool.Acquire("gemini-2.5-pro").Succeeded();

        Assert.False(pool.TryAcquire(out _, out var at, "gemini-2.5-pro"));
        Assert.Equal(Pools.Start.AddMinutes(1), at);
        pool.Acquire("gemini-2.5-flash").Succeeded();
        time.Advance(TimeSpan.FromMinutes(1));
        pool.Acquire("gemini-2.5-pro").Succeeded();
    }

    [Fact]
    public void RequestLimits_PerDay_LastsUntilPacificMidnight()
    {
        var time = Pools.Clock();
        var options = Pools.NoJitter();
        options.RequestLimits.Add(new RequestLimit { PerDay = 1 });
        using var pool = Pools.Memory(time, keys: 1, options: options);

        pool.Acquire().Succeeded();

        Assert.False(pool.TryAcquire(out _, out var at));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero), at);
    }

    [Fact]
    public void Options_OutOfRange_AreRejected()
    {
        var options = new ApiKeyManagerOptions { FailureThreshold = 0, BaseCooldown = TimeSpan.FromHours(2) };

        var e = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new ApiKeyManager(apiKeys: [], options: options));

        Assert.Contains(e.Failures, f => f.Contains("FailureThreshold"));
        Assert.Contains(e.Failures, f => f.Contains("MaxCooldown"));
    }
}
