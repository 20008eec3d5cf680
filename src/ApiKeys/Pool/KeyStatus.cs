using ApiKeys.Keys;

namespace ApiKeys.Pool;

/// <summary>A snapshot of one key for people and tools: its metadata, its state, and whether it is usable now.</summary>
/// <remarks>Holds no secret.</remarks>
public sealed record KeyStatus
{
    /// <summary>The key's id.</summary>
    public required string Id { get; init; }

    /// <summary>The masked key.</summary>
    public required string Mask { get; init; }

    /// <summary>The key's label.</summary>
    public string? Label { get; init; }

    /// <summary>The provider.</summary>
    public KeyProvider Provider { get; init; }

    /// <summary>The project (configured, else learned from an error).</summary>
    public string? Project { get; init; }

    /// <summary>When the key was added.</summary>
    public DateTimeOffset AddedAt { get; init; }

    /// <summary>The position of the key in the store (1-based), as the seed's list shows.</summary>
    public int Number { get; init; }

    /// <summary>Everything the pool knows about the key.</summary>
    public required KeyState State { get; init; }

    /// <summary>Whether the key is usable now (for any model).</summary>
    public bool IsUsable => Availability == KeyAvailability.Available;

    /// <summary>Why the key is not usable, or <see cref="KeyAvailability.Available"/>.</summary>
    public KeyAvailability Availability { get; init; }

    /// <summary>When the key comes back; null when it is usable, or when it does not come back by itself.</summary>
    public DateTimeOffset? AvailableAt { get; init; }

    /// <summary>A sentence saying why the key is not being used, and until when.</summary>
    public string? Reason { get; init; }

    /// <summary>Leases in flight.</summary>
    public int InFlight { get; init; }

    /// <summary>
    /// A key's status from its state, as every backend shows it: whether it is usable at <paramref name="now"/>, and if not
    /// why and until when.
    /// </summary>
    /// <param name="id">The key's id.</param>
    /// <param name="key">The key, when this process holds it; null: the status shows the id for the mask.</param>
    /// <param name="project">The key's project, configured or learned.</param>
    /// <param name="state">The key's state.</param>
    /// <param name="inFlight">Leases in flight.</param>
    /// <param name="number">The key's position (1-based).</param>
    /// <param name="now">The time.</param>
    /// <param name="model">Also say whether the key can serve this model.</param>
    /// <param name="leaseCap">The cap of leases in flight per key (<see cref="ApiKeyManagerOptions.MaxLeasesPerKey"/>), if any.</param>
    public static KeyStatus Create(string id, ApiKey? key, string? project, KeyState state, int inFlight, int number, DateTimeOffset now,
        string? model = null, int? leaseCap = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(state);
        return KeyStatusBuilder.Build(id, key, project, state, inFlight, number, now, model, leaseCap);
    }

    /// <summary>Models this key is cooling or blocked for now.</summary>
    public IReadOnlyDictionary<string, ModelBlock> BlockedModels { get; init; } = new Dictionary<string, ModelBlock>();
}
