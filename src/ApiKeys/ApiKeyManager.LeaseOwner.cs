using ApiKeys.Pool;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    /// <summary>Hands the pool's leases out and takes their reports back (the lease's state is the slot it came from).</summary>
    private sealed class LeaseOwner(ApiKeyManager pool) : KeyLeaseOwner
    {
        public KeyLease Create(KeySlot slot, string? model, long id) => CreateLease(slot.Key, model, id, slot);

        protected internal override void OnReported(KeyLease lease, KeyOutcome outcome) =>
            pool.Apply(lease.KeyId, bySecret: false, outcome, StateOf(lease) as KeySlot);

        protected internal override void OnReleased(KeyLease lease)
        {
            if (StateOf(lease) is KeySlot slot)
            {
                pool.Release(slot);
            }
        }
    }
}
