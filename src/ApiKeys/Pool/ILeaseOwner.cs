namespace ApiKeys.Pool;

/// <summary>Whatever handed a lease out and takes its report back.</summary>
internal interface ILeaseOwner
{
    void Report(KeyLease lease, KeyOutcome outcome);

    void Release(KeyLease lease);
}
