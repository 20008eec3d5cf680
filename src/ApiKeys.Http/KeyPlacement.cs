namespace ApiKeys.Http;

/// <summary>Where the handler puts the key. Never in the URL: a key in the query string is removed.</summary>
public enum KeyPlacement
{
    /// <summary>Gemini's <c>x-goog-api-key</c> header.</summary>
    GoogApiKeyHeader = 0,

    /// <summary><c>Authorization: Bearer &lt;key&gt;</c> (OpenAI-style APIs).</summary>
    BearerToken = 1,

    /// <summary>The header named by <see cref="ApiKeyHandlerOptions.HeaderName"/> (e.g. <c>x-api-key</c>).</summary>
    CustomHeader = 2,
}
