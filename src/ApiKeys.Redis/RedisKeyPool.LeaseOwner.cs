using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>Hands the pool's leases out and takes their reports back (to Redis, or to the local fallback).</summary>
    private sealed class Leases(RedisKeyPool pool) : KeyLeaseOwner
    {
        public KeyLease Create(ApiKey key, string? model, long leaseId) => CreateLease(key, model, leaseId);

        protected override void OnReported(KeyLease lease, KeyOutcome outcome) => pool.ReportLease(lease, outcome);

        protected override void OnReleased(KeyLease lease) => pool.ReleaseLease(lease);
    }
}
