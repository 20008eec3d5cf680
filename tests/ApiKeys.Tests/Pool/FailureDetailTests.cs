using ApiKeys.Pool;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Pool;

/// <summary>The rows of DESIGN.md's failure table that a <see cref="FailureDetail"/> tells apart: an API not enabled, a restricted key, a leaked key.</summary>
public class FailureDetailTests
{
    private const string Project = "projects/123456789012";

    [Fact]
    public void ServiceDisabled_EveryKeyOfTheProjectOutUntilRevalidated()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 0);
        pool.AddKey(TestKeys.Gemini(0), project: Project);
        pool.AddKey(TestKeys.Gemini(1), project: Project);
        pool.AddKey(TestKeys.Gemini(2), project: "projects/999");

        pool.UpdateKeyStatus(TestKeys.Gemini(0), KeyFailure.ServiceDisabled("Generative Language API", Project, "Generative Language API has not been used in project 123456789012"));
        time.Advance(TimeSpan.FromDays(2));

        var statuses = pool.GetStatuses();
        Assert.Equal(KeyAvailability.Disabled, statuses[0].Availability);
        Assert.Equal(KeyAvailability.Disabled, statuses[1].Availability);
        Assert.True(statuses[2].IsUsable);
        Assert.All(statuses.Take(2), s => Assert.Contains("enable the Generative Language API in project 123456789012", s.Reason, StringComparison.Ordinal));
        Assert.All(statuses.Take(2), s => Assert.Equal(FailureKind.Forbidden, s.State.DisabledKind));
        using (var lease = pool.Acquire())
        {
            Assert.Equal(TestKeys.Gemini(2), lease.Key);
        }

        pool.Revalidated(TestKeys.Gemini(0), valid: true);
        Assert.True(pool.GetStatus(TestKeys.Gemini(0))!.IsUsable);
        Assert.Equal(KeyAvailability.Disabled, pool.GetStatus(TestKeys.Gemini(1))!.Availability);
    }

    [Fact]
    public void ServiceDisabled_ProjectLearnedFromTheError_ReachesTheKeysThatShareIt()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 3);
        pool.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.Upstream("x"));
        pool.Report(pool.ResolveId(TestKeys.Gemini(1))!, KeyOutcome.Failed(KeyFailure.RateLimited(TimeSpan.FromSeconds(1), project: Project)));
        time.Advance(TimeSpan.FromSeconds(2));
        var changes = new List<KeyEventArgs>();
        pool.KeyChanged += (_, e) => changes.Add(e);

        pool.UpdateKeyStatus(TestKeys.Gemini(0), KeyFailure.ServiceDisabled("Generative Language API", Project));

        Assert.Equal(KeyAvailability.Disabled, pool.GetStatus(TestKeys.Gemini(0))!.Availability);
        Assert.Equal(KeyAvailability.Disabled, pool.GetStatus(TestKeys.Gemini(1))!.Availability);
        Assert.True(pool.GetStatus(TestKeys.Gemini(2))!.IsUsable);
        Assert.Equal(2, changes.Count(e => e.Kind == KeyEventKind.Disabled));
    }

    [Theory]
    [InlineData(FailureDetail.HttpReferrerRestricted, "HTTP referrers (API_KEY_HTTP_REFERRER_BLOCKED)")]
    [InlineData(FailureDetail.IpAddressRestricted, "IP addresses (API_KEY_IP_ADDRESS_BLOCKED)")]
    [InlineData(FailureDetail.AndroidAppRestricted, "Android apps (API_KEY_ANDROID_APP_BLOCKED)")]
    [InlineData(FailureDetail.IosAppRestricted, "iOS apps (API_KEY_IOS_APP_BLOCKED)")]
    public void Restricted_KeyOutUntilRevalidated_WhyNamesTheRestriction(FailureDetail restriction, string named)
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 0);
        pool.AddKey(TestKeys.Gemini(0), project: Project);
        pool.AddKey(TestKeys.Gemini(1), project: Project);

        pool.UpdateKeyStatus(TestKeys.Gemini(0), KeyFailure.Restricted(restriction, "Requests from this caller are blocked.", Project));
        time.Advance(TimeSpan.FromDays(2));

        var status = pool.GetStatus(TestKeys.Gemini(0))!;
        Assert.Equal(KeyAvailability.Disabled, status.Availability);
        Assert.Contains($"restricted to other {named}: Requests from this caller are blocked.", status.Reason, StringComparison.Ordinal);
        Assert.True(pool.GetStatus(TestKeys.Gemini(1))!.IsUsable); // a restriction is the key's, not the project's
        pool.Revalidated(TestKeys.Gemini(0), valid: true);
        Assert.True(pool.GetStatus(TestKeys.Gemini(0))!.IsUsable);
    }

    [Fact]
    public void Restricted_NotARestriction_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => KeyFailure.Restricted(FailureDetail.Leaked));
    }

    [Fact]
    public void Leaked_DisabledWithRotateIt_AndAnAlertAtOnce()
    {
        var time = Pools.Clock();
        using var pool = Pools.Memory(time, keys: 2);
        var alerts = new List<KeyAlertEventArgs>();
        var changes = new List<KeyEventArgs>();
        pool.Alert += (_, a) => alerts.Add(a);
        pool.KeyChanged += (_, e) => changes.Add(e);

        pool.UpdateKeyStatus(TestKeys.Gemini(0), KeyFailure.Leaked("Your API key was reported as leaked. Please use another API key."));

        var status = pool.GetStatus(TestKeys.Gemini(0))!;
        Assert.Equal(KeyAvailability.Disabled, status.Availability);
        Assert.Equal(FailureKind.Suspended, status.State.DisabledKind);
        Assert.Contains("rotate it", status.Reason, StringComparison.Ordinal);
        var alert = Assert.Single(alerts);
        Assert.Equal(pool.ResolveId(TestKeys.Gemini(0)), alert.KeyId);
        Assert.Contains("rotate it", alert.Reason, StringComparison.Ordinal);
        Assert.Contains(changes, e => e.Kind == KeyEventKind.Disabled && e.Reason!.Contains("rotate it", StringComparison.Ordinal));
        Assert.True(pool.GetStatus(TestKeys.Gemini(1))!.IsUsable);
    }

    [Fact]
    public void Suspended_NotLeaked_RaisesNoAlertAtOnce()
    {
        using var pool = Pools.Memory(Pools.Clock(), keys: 1);
        var alerts = new List<KeyAlertEventArgs>();
        pool.Alert += (_, a) => alerts.Add(a);

        pool.UpdateKeyStatus(TestKeys.Gemini(0), KeyFailure.Suspended("Consumer has been suspended.", Project));

        Assert.Empty(alerts);
        Assert.Contains("revalidate", pool.GetStatus(TestKeys.Gemini(0))!.Reason, StringComparison.Ordinal);
    }
}
