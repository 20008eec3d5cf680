using System.Diagnostics.CodeAnalysis;
using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Security;

namespace ApiKeys;

/// <summary>
/// What callers of a key pool need: leases, statuses and revalidation. <see cref="ApiKeyManager"/> implements it in
/// one process (state in memory and the JSON store); the Redis backend implements it across processes and machines.
/// Another backend builds on <see cref="KeyLeaseOwner"/> (its leases), <see cref="KeyStatePolicy"/> (the rules),
/// <see cref="KeyNotices"/> and <see cref="KeyPoolNotifier"/> (events, logs and metrics, the same as every backend's).
/// </summary>
public interface IKeyPool
{
    /// <summary>The keys, in order (they hold secrets: never log them).</summary>
    IReadOnlyList<ApiKey> Keys { get; }

    /// <summary>Masks every key of the pool and every key-shaped token.</summary>
    SecretRedactor Redactor { get; }

    /// <summary>Raised for every change of a key's availability this pool sees (cooling, restored, disabled, enabled). Called outside the pool's locks.</summary>
    event EventHandler<KeyEventArgs>? KeyChanged;

    /// <summary>Raised when a key needs attention: consecutive failures, or a failure that calls for it at once (a leaked key).</summary>
    event EventHandler<KeyAlertEventArgs>? Alert;

    /// <summary>Takes a lease on the next usable key; when none is available, says when one will be (null: none comes back by itself).</summary>
    bool TryAcquire([NotNullWhen(true)] out KeyLease? lease, out DateTimeOffset? availableAt, string? model = null);

    /// <summary>Takes a lease on the next usable key.</summary>
    /// <exception cref="NoAvailableKeyException">No key is available.</exception>
    KeyLease Acquire(string? model = null);

    /// <summary>Takes a lease, waiting for the next key to come back when all are cooling or busy.</summary>
    /// <exception cref="NoAvailableKeyException">Every key is disabled or the pool is empty.</exception>
    Task<KeyLease> AcquireAsync(string? model = null, CancellationToken cancellationToken = default);

    /// <summary>Every key's status.</summary>
    IReadOnlyList<KeyStatus> GetStatuses(string? model = null);

    /// <summary>Records a validation that spent no quota: a valid key comes back; an invalid one gets <paramref name="failure"/>.</summary>
    bool Revalidated(string key, bool valid, KeyFailure? failure = null);
}
