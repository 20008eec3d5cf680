using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Pool;

/// <summary>Another backend's leases, made through the public contract: one report or one release reaches the owner.</summary>
public sealed class KeyLeaseOwnerTests
{
    [Fact]
    public void CreateLease_ReportedThenDisposed_OwnerSeesOneReportWithItsState()
    {
        var owner = new RecordingOwner();
        var key = new ApiKey(TestKeys.Gemini(1), Pools.Start);

        var lease = owner.Lease(key, "gemini-2.5-flash", 42, state: "slot 3");
        lease.Failed(KeyFailure.RateLimited(TimeSpan.FromSeconds(5)));
        lease.Dispose();

        var (seen, outcome, state) = Assert.Single(owner.Reports);
        Assert.Same(lease, seen);
        Assert.Equal((key.Id, key.Mask, 42L, "gemini-2.5-flash"), (lease.KeyId, lease.Mask, lease.LeaseId, outcome!.Value.Model));
        Assert.Equal("slot 3", state);
        Assert.Equal(FailureKind.RateLimited, outcome.Value.Failure!.Kind);
        Assert.DoesNotContain(key.Secret, lease.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void CreateLease_DisposedWithoutReport_OwnerSeesOneRelease()
    {
        var owner = new RecordingOwner();

        var lease = owner.Lease(new ApiKey(TestKeys.Gemini(1), Pools.Start), null, 1, null);
        lease.Dispose();
        lease.Dispose();

        var (seen, outcome, _) = Assert.Single(owner.Reports);
        Assert.Same(lease, seen);
        Assert.Null(outcome);
        Assert.Throws<InvalidOperationException>(() => lease.Succeeded());
    }

    // Elsewhere the overrides are protected (ApiKeys.Redis's are); this assembly sees the core's internals, so they are protected internal.
    private sealed class RecordingOwner : KeyLeaseOwner
    {
        public List<(KeyLease Lease, KeyOutcome? Outcome, object? State)> Reports { get; } = [];

        public KeyLease Lease(ApiKey key, string? model, long id, object? state) => CreateLease(key, model, id, state);

        protected internal override void OnReported(KeyLease lease, KeyOutcome outcome) => Reports.Add((lease, outcome, StateOf(lease)));

        protected internal override void OnReleased(KeyLease lease) => Reports.Add((lease, null, StateOf(lease)));
    }
}
