using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Http;

/// <summary>
/// Sends one request with a given key and no other: the key that owns what the request names (a file or a cached content
/// lives in the project of the key that created it; no other key can see it). Set it in the request's
/// <see cref="HttpRequestMessage.Options"/> under <see cref="OptionKey"/>: <see cref="ApiKeyHandler"/> then takes no lease
/// from the pool, sends once (no retry on another key: none could serve it), and does everything else as for any request:
/// the key in the header and out of the request afterwards, an error body read, classified and masked, the outcome reported
/// (to <see cref="Report"/>, the pool having no lease to take it), the request accounted (token counts included).
/// </summary>
/// <remarks><see cref="ToString"/> shows the key's id and mask, never the secret.</remarks>
public sealed class PinnedKey
{
    /// <summary>The key of the pin in <see cref="HttpRequestMessage.Options"/>.</summary>
    public static readonly HttpRequestOptionsKey<PinnedKey> OptionKey = new("ApiKeys.PinnedKey");

    /// <summary>Pins a request to <paramref name="key"/>.</summary>
    /// <param name="key">The key to send the request with (usually one of the pool's).</param>
    /// <param name="report">Takes the outcome of the request for the key's state (a success, or the failure's kind); null: not reported.</param>
    public PinnedKey(ApiKey key, Action<KeyOutcome>? report = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        Key = key;
        Report = report;
    }

    /// <summary>The key (it holds the secret: never log it; use <see cref="ApiKey.Id"/> or <see cref="ApiKey.Mask"/>).</summary>
    public ApiKey Key { get; }

    /// <summary>Takes the outcome of the request (called once, after the response headers or the failure); null: not reported.</summary>
    public Action<KeyOutcome>? Report { get; }

    /// <inheritdoc />
    public override string ToString() => $"pinned to {Key}";
}
