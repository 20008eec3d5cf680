namespace ApiKeys.Gateway.Forwarding;

/// <summary>Which API a route speaks: it decides the upstream path, where the key goes, and the shape of errors.</summary>
public enum RouteFlavor
{
    /// <summary>Gemini's own API: the key in <c>x-goog-api-key</c>, errors as <c>google.rpc.Status</c>.</summary>
    Gemini = 0,

    /// <summary>Google's OpenAI-compatible endpoint: the key as <c>Authorization: Bearer</c>, errors in OpenAI's shape.</summary>
    OpenAi = 1,
}
