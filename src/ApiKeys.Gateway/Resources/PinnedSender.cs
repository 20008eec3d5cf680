using System.Net.Http.Headers;
using System.Text;
using ApiKeys.Gateway.Forwarding;
using ApiKeys.Gateway.Hosting;
using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Gateway.Resources;

/// <summary>
/// Sends a request with one given key (the one that created the resource it names), not a key of the pool's choosing:
/// no retry on another key (no other key can see the resource). The answer is handled as the handler would: an error body
/// has every key masked and is classified, and the outcome is reported to the pool without a lease.
/// </summary>
internal sealed class PinnedSender(GatewayBackend backend, UpstreamClient upstream)
{
    private const int MaxErrorBody = 1024 * 1024;

    /// <summary>The answer with the key <paramref name="keyId"/>; null when the pool no longer holds that key.</summary>
    public async Task<HttpResponseMessage?> SendAsync(HttpRequestMessage request, string keyId, ForwardContext context, CancellationToken cancellationToken)
    {
        var key = backend.Pool.Keys.FirstOrDefault(k => k.Id == keyId);
        if (key is null)
        {
            return null;
        }

        context.Attempts++;
        context.KeyId = key.Id;
        if (context.Route.Flavor == RouteFlavor.OpenAi)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Secret);
        }
        else
        {
            request.Headers.TryAddWithoutValidation(ClientCredential.GoogApiKey, key.Secret);
        }

        HttpResponseMessage response;
        try
        {
            response = await upstream.SendDirectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is HttpRequestException or IOException)
        {
            backend.Report(key, KeyOutcome.Failed(upstream.Classifier.ClassifyException(e), context.Model));
            throw;
        }
        finally
        {
            request.Headers.Authorization = null;
            request.Headers.Remove(ClientCredential.GoogApiKey);
        }

        if (response.IsSuccessStatusCode)
        {
            backend.Report(key, KeyOutcome.Success(context.Model));
            return response;
        }

        byte[] body = await ReadMaskedAsync(response, key, cancellationToken).ConfigureAwait(false);
        if (upstream.Classifier.Classify(response, body, context.Model) is { } failure)
        {
            backend.Report(key, KeyOutcome.Failed(failure, context.Model));
        }

        return response;
    }

    private async Task<byte[]> ReadMaskedAsync(HttpResponseMessage response, ApiKey key, CancellationToken cancellationToken)
    {
        var original = response.Content;
        using var buffer = new MemoryStream();
        await using (var stream = await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
        {
            var chunk = new byte[16 * 1024];
            int read;
            while (buffer.Length < MaxErrorBody && (read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                buffer.Write(chunk, 0, read);
            }
        }

        string text = backend.Pool.Redactor.Redact(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length))
            .Replace(key.Secret, key.Mask, StringComparison.Ordinal);
        byte[] masked = Encoding.UTF8.GetBytes(text);
        var content = new ByteArrayContent(masked);
        foreach (var header in original.Headers.Where(h => !string.Equals(h.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)))
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = content;
        original.Dispose();
        return masked;
    }
}
