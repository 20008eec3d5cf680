using ApiKeys.Keys;

namespace ApiKeys.Pool;

/// <summary>
/// What hands leases out and takes their reports back: the one way to create a <see cref="KeyLease"/>. A key pool of your
/// own (an <see cref="IKeyPool"/> on another store) derives a class from this one, creates its leases with
/// <see cref="CreateLease"/>, and receives each lease's one report (<see cref="OnReported"/>) or its release
/// (<see cref="OnReleased"/>). <see cref="ApiKeyManager"/> and the Redis pool are built this way.
/// </summary>
/// <remarks>
/// A lease calls its owner at most once, on the thread that reported or disposed it: after a report, disposing the lease
/// does nothing. Overrides must not throw for an outcome the pool cannot record (log it instead): the caller's request is done.
/// </remarks>
public abstract class KeyLeaseOwner
{
    /// <summary>Creates a lease on <paramref name="key"/> that reports to this owner.</summary>
    /// <param name="key">The key handed out.</param>
    /// <param name="model">The model the lease was taken for, if any.</param>
    /// <param name="leaseId">A number unique to this lease within the pool (a distributed pool uses it so a retried report counts once).</param>
    /// <param name="state">Anything the owner wants back when the lease reports (<see cref="StateOf"/>): the pool's slot, say.</param>
    protected KeyLease CreateLease(ApiKey key, string? model, long leaseId, object? state = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new KeyLease(this, key, model, leaseId, state);
    }

    /// <summary>What <see cref="CreateLease"/> was given as the lease's state.</summary>
    protected static object? StateOf(KeyLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return lease.State;
    }

    /// <summary>The lease's one report: apply <paramref name="outcome"/> to its key and release the lease.</summary>
    /// <param name="lease">The lease, created by this owner.</param>
    /// <param name="outcome">What happened (its model is the failure's, else the lease's).</param>
    protected internal abstract void OnReported(KeyLease lease, KeyOutcome outcome);

    /// <summary>The lease was disposed without a report (a cancelled call): release it with no strike.</summary>
    /// <param name="lease">The lease, created by this owner.</param>
    protected internal abstract void OnReleased(KeyLease lease);
}
