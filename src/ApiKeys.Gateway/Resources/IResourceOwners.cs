namespace ApiKeys.Gateway.Resources;

/// <summary>
/// Which key created a resource (an uploaded file, a cached content, an upload in progress): such a resource lives in that
/// key's project, so every request naming it must go with that key. Names and key ids only, never a key.
/// </summary>
public interface IResourceOwners
{
    /// <summary>Remembers that <paramref name="keyId"/> created <paramref name="name"/> (<c>files/abc</c>, <c>cachedContents/xyz</c>, <c>upload:ID</c>).</summary>
    ValueTask RememberAsync(string name, string keyId, TimeSpan lifetime, CancellationToken cancellationToken = default);

    /// <summary>The id of the key that created <paramref name="name"/>, or null.</summary>
    ValueTask<string?> OwnerAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Forgets <paramref name="name"/> (deleted).</summary>
    ValueTask ForgetAsync(string name, CancellationToken cancellationToken = default);
}
