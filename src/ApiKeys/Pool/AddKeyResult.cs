using ApiKeys.Keys;

namespace ApiKeys.Pool;

/// <summary>The result of <see cref="ApiKeyManager.AddKey"/>.</summary>
/// <param name="Status">What happened.</param>
/// <param name="KeyId">The key's id (also for duplicates).</param>
/// <param name="Mask">The masked key.</param>
/// <param name="Provider">The detected provider.</param>
/// <param name="SaveError">Set when the key is in the pool but could not be written to the store (retried later).</param>
public sealed record AddKeyResult(AddKeyStatus Status, string? KeyId, string? Mask, KeyProvider Provider, string? SaveError = null)
{
    /// <summary>Whether the key is in the pool now because of this call.</summary>
    public bool Added => Status == AddKeyStatus.Added;

    /// <summary>A sentence for people.</summary>
    public string Message => Status switch
    {
        AddKeyStatus.Added => $"Key added successfully! (Partial: {Mask})",
        AddKeyStatus.Duplicate => $"Key already exists ({Mask}).",
        AddKeyStatus.MalformedGemini => "Invalid key format: a Google API key is 39 characters starting with AIza.",
        AddKeyStatus.UnknownFormat => "Unknown key format: not a Gemini, OpenAI or Anthropic key.",
        _ => "Invalid key: empty, or contains spaces or control characters.",
    };
}
