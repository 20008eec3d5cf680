using System.Collections.Concurrent;
using ApiKeys.Keys;

namespace ApiKeys.Gateway.Forwarding;

/// <summary>
/// Sits between <see cref="ApiKeys.Http.ApiKeyHandler"/> and the connection pool: counts the attempts of each request and
/// notes the id of the key each one carried (read from the header the handler set; the id, never the key, is kept).
/// </summary>
internal sealed class AttemptRecorder(HttpMessageInvoker upstream) : HttpMessageHandler
{
    private readonly ConcurrentDictionary<string, string> _ids = new(StringComparer.Ordinal);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(ForwardContext.OptionKey, out var context))
        {
            context.Attempts++;
            if (KeyOf(request) is { } key)
            {
                // Count (which takes every lock of the dictionary) only when the key is new to it.
                context.KeyId = _ids.TryGetValue(key, out var id) ? id : _ids.Count < 100_000 ? _ids.GetOrAdd(key, KeyIds.For) : KeyIds.For(key);
            }
        }

        return upstream.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken) =>
        upstream.Send(request, cancellationToken);

    private static string? KeyOf(HttpRequestMessage request)
    {
        // As the handler set it (NonValidated): no enumerable and no parse to read one value.
        if (request.Headers.NonValidated.TryGetValues(ClientCredential.GoogApiKey, out var values))
        {
            return values.Count == 0 ? null : values.ToString();
        }

        return request.Headers.Authorization is { Scheme: "Bearer", Parameter: { } bearer } ? bearer : null;
    }
}
