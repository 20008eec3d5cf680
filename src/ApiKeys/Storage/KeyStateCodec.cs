using System.Text;
using ApiKeys.Pool;

namespace ApiKeys.Storage;

/// <summary>
/// One key's state as text, in the states file's format (<c>{"format": "apikeys-states/1", ..., "states": {"&lt;id&gt;": {...}}}</c>,
/// the seed's field names and units kept): what a shared backend stores per key. It holds no secret, and every backend
/// and version reads the same text.
/// </summary>
public static class KeyStateCodec
{
    /// <summary>The state of the key <paramref name="keyId"/> as JSON.</summary>
    /// <param name="keyId">The key's id (the text names it, as the states file does).</param>
    /// <param name="state">The state.</param>
    public static string Encode(string keyId, KeyState state)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(state);
        var states = new Dictionary<string, KeyState>(1, StringComparer.Ordinal) { [keyId] = state };
        return Encoding.UTF8.GetString(StatesFile.Serialize(states, 0, StatesFile.SeedEpoch));
    }

    /// <summary>Reads what <see cref="Encode"/> wrote (or a states file's text) for the key <paramref name="keyId"/>.</summary>
    /// <param name="keyId">The key's id.</param>
    /// <param name="json">The text.</param>
    /// <param name="source">Where the text comes from, for the error message (<c>redis</c>, a file name).</param>
    /// <returns>The key's state; <see cref="KeyState.Empty"/> when the text has none for it.</returns>
    /// <exception cref="KeyStoreException">The text is not a states document; the message says where and why.</exception>
    public static KeyState Decode(string keyId, string json, string source)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyId);
        ArgumentNullException.ThrowIfNull(json);
        var content = StatesFile.Parse(Encoding.UTF8.GetBytes(json), source);
        return content.States.TryGetValue(keyId, out var state) ? state : KeyState.Empty;
    }
}
