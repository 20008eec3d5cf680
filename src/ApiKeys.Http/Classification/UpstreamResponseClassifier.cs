using ApiKeys.Pool;

namespace ApiKeys.Http.Classification;

/// <summary>
/// The default classifier when the key is not sent in Gemini's own header: it follows the upstream, not the key's placement.
/// A Gemini host (<c>*.googleapis.com</c>) or a Gemini-shaped error body (<c>google.rpc.Status</c>, also wrapped in an
/// array as the OpenAI-compatible endpoint sends it) is read by <see cref="GeminiResponseClassifier"/>, so an invalid key
/// sent as <c>Bearer</c> to Gemini is still an invalid key; anything else by <see cref="GenericResponseClassifier"/>.
/// </summary>
internal sealed class UpstreamResponseClassifier : IResponseClassifier
{
    private readonly GeminiResponseClassifier _gemini;
    private readonly GenericResponseClassifier _generic;

    public UpstreamResponseClassifier(TimeProvider time)
    {
        _gemini = new GeminiResponseClassifier(time);
        _generic = new GenericResponseClassifier(time);
    }

    public KeyFailure? Classify(HttpResponseMessage response, ReadOnlyMemory<byte> body, string? model)
    {
        ArgumentNullException.ThrowIfNull(response);
        if ((int)response.StatusCode < 400)
        {
            return null;
        }

        // Parsed once: the Gemini classifier takes the parsed body.
        var error = GeminiError.TryParse(body);
        return error is { IsGoogleStatus: true } || IsGoogleHost(response.RequestMessage?.RequestUri)
            ? _gemini.Classify(response, error, body, model)
            : _generic.Classify(response, body, model);
    }

    public KeyFailure ClassifyException(Exception exception) => ClassifierHelpers.Transport(exception);

    /// <summary><c>generativelanguage.googleapis.com</c> and Google's other API hosts, which answer with <c>google.rpc.Status</c> bodies.</summary>
    internal static bool IsGoogleHost(Uri? uri) =>
        uri is { IsAbsoluteUri: true } && (uri.Host.Equals("googleapis.com", StringComparison.OrdinalIgnoreCase)
            || uri.Host.EndsWith(".googleapis.com", StringComparison.OrdinalIgnoreCase));
}
