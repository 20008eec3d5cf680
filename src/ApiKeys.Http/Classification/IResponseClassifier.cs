using ApiKeys.Pool;

namespace ApiKeys.Http.Classification;

/// <summary>
/// Turns an API's answer into an outcome for the key that made the call: which <see cref="FailureKind"/>, how long to
/// wait, which model and project. The handler calls it for every response that is not a success, and for every
/// exception of the transport.
/// </summary>
public interface IResponseClassifier
{
    /// <summary>Classifies a response that is not a success (status outside 2xx).</summary>
    /// <param name="response">The response (status and headers; its content is already read into <paramref name="body"/>).</param>
    /// <param name="body">The response body, possibly cut at the handler's buffering limit; empty when there was none.</param>
    /// <param name="model">The model the request was for, if any.</param>
    /// <returns>The failure, or null when the response is not a failure after all (the key is reported successful).</returns>
    KeyFailure? Classify(HttpResponseMessage response, ReadOnlyMemory<byte> body, string? model);

    /// <summary>Classifies an exception thrown while sending (timeouts, refused or reset connections).</summary>
    /// <param name="exception">The exception.</param>
    /// <returns>The failure; usually <see cref="FailureKind.Transport"/>.</returns>
    KeyFailure ClassifyException(Exception exception);
}
