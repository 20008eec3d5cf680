using ApiKeys.Diagnostics;
using ApiKeys.Keys;

namespace ApiKeys.Pool;

/// <summary>
/// A key handed out for one call. Report exactly once: <see cref="Succeeded"/> or <see cref="Failed"/>.
/// Disposing a lease without a report releases it with no strike (a cancelled call).
/// </summary>
/// <remarks>
/// <see cref="ToString"/> shows the mask, never the secret. Pools create leases through <see cref="KeyLeaseOwner"/>.
/// </remarks>
public sealed class KeyLease : IDisposable
{
    private readonly KeyLeaseOwner _owner;
    private int _state; // 0 open, 1 reported, 2 released

    internal KeyLease(KeyLeaseOwner owner, ApiKey key, string? model, long leaseId, object? state)
    {
        _owner = owner;
        Key = key.Secret;
        KeyId = key.Id;
        Mask = key.Mask;
        Model = model;
        LeaseId = leaseId;
        State = state;
        ApiKeysMetrics.LeaseStarted();
    }

    /// <summary>The secret to send. Never log it: use <see cref="Mask"/> or <see cref="KeyId"/>.</summary>
    public string Key { get; }

    /// <summary>The key's id.</summary>
    public string KeyId { get; }

    /// <summary>The masked key (<c>AIza...YNQs</c>).</summary>
    public string Mask { get; }

    /// <summary>The model the lease was taken for, if any.</summary>
    public string? Model { get; }

    /// <summary>A number unique to this lease within its pool (distributed backends use it so a retried report counts once).</summary>
    public long LeaseId { get; }

    /// <summary>Whether an outcome was reported or the lease released.</summary>
    public bool IsCompleted => Volatile.Read(ref _state) != 0;

    /// <summary>What the owner handed the lease out of (the pool's slot), so a lease outliving its key's removal and
    /// re-addition does not release a lease of the new one.</summary>
    internal object? State { get; }

    /// <summary>Reports a success.</summary>
    /// <exception cref="InvalidOperationException">An outcome was already reported.</exception>
    public void Succeeded() => Complete(KeyOutcome.Success(Model));

    /// <summary>Reports a failure of the given kind.</summary>
    /// <exception cref="InvalidOperationException">An outcome was already reported.</exception>
    public void Failed(KeyFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Complete(KeyOutcome.Failed(failure, failure.Model ?? Model));
    }

    /// <summary>Releases the lease; if no outcome was reported, the key gets no strike.</summary>
    public void Dispose()
    {
        if (Interlocked.CompareExchange(ref _state, 2, 0) == 0)
        {
            ApiKeysMetrics.LeaseEnded();
            _owner.OnReleased(this);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"lease {LeaseId} of {KeyId} ({Mask})";

    private void Complete(KeyOutcome outcome)
    {
        int previous = Interlocked.CompareExchange(ref _state, 1, 0);
        if (previous != 0)
        {
            throw new InvalidOperationException(previous == 1
                ? $"An outcome was already reported for {this}: report once per lease."
                : $"The {this} was already released.");
        }

        ApiKeysMetrics.LeaseEnded();
        _owner.OnReported(this, outcome);
    }
}
