namespace ApiKeys.Keys;

/// <summary>A key of the pool: the secret and its metadata.</summary>
/// <remarks><see cref="ToString"/> shows the mask, never the secret.</remarks>
public sealed record ApiKey
{
    /// <summary>Creates a key, computing its id and detecting its provider.</summary>
    public ApiKey(string secret, DateTimeOffset addedAt, string? label = null, string? project = null, KeyProvider? provider = null, bool disabled = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        Secret = secret;
        Id = KeyIds.For(secret);
        Mask = KeyMask.Mask(secret);
        AddedAt = addedAt;
        Label = label;
        Project = project;
        Provider = provider ?? KeyFormat.Detect(secret);
        Disabled = disabled;
    }

    /// <summary>The key's id (<c>k_</c> + 12 hex digits of its SHA-256).</summary>
    public string Id { get; }

    /// <summary>The secret itself. Never log it: use <see cref="Mask"/>.</summary>
    public string Secret { get; }

    /// <summary>The masked form (<c>AIza...YNQs</c>).</summary>
    public string Mask { get; }

    /// <summary>An optional human label.</summary>
    public string? Label { get; init; }

    /// <summary>The provider, detected from the format unless given.</summary>
    public KeyProvider Provider { get; init; }

    /// <summary>The Google Cloud project (or any quota group) the key belongs to; keys of one project share a quota.</summary>
    public string? Project { get; init; }

    /// <summary>When the key was added (for the seed's "rotate quarterly" advice).</summary>
    public DateTimeOffset AddedAt { get; init; }

    /// <summary>Whether the key was disabled by hand.</summary>
    public bool Disabled { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Id} ({Mask})";

    /// <inheritdoc />
    public bool Equals(ApiKey? other) =>
        other is not null && Id == other.Id && string.Equals(Secret, other.Secret, StringComparison.Ordinal)
        && Label == other.Label && Provider == other.Provider && Project == other.Project
        && AddedAt == other.AddedAt && Disabled == other.Disabled;

    /// <inheritdoc />
    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);
}
