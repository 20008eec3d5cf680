using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using ApiKeys.Pool;

namespace ApiKeys.Http;

public sealed partial class ApiKeyHandler
{
    /// <summary>Gemini's key header.</summary>
    public const string GoogApiKeyHeader = "x-goog-api-key";

    /// <summary>
    /// Reads an error body up to <see cref="ApiKeyHandlerOptions.MaxErrorBodyBytes"/>, masks every secret in it, and puts
    /// the masked bytes back as the response's content (same content headers), so the caller gets the body intact but safe.
    /// </summary>
    private async ValueTask<ReadOnlyMemory<byte>> ReadErrorBodyAsync(HttpResponseMessage response, bool async, string leasedKey, CancellationToken cancellationToken)
    {
        var original = response.Content;
        int limit = _options.MaxErrorBodyBytes;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Min(limit, 16 * 1024));
        int length = 0;
        try
        {
            var stream = async ? await original.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false) : original.ReadAsStream(cancellationToken);
            await using (stream.ConfigureAwait(false))
            {
                while (length < limit)
                {
                    if (length == buffer.Length)
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(limit, buffer.Length * 2));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    int want = Math.Min(buffer.Length, limit) - length;
                    int read = async
                        ? await stream.ReadAsync(buffer.AsMemory(length, want), cancellationToken).ConfigureAwait(false)
                        : stream.Read(buffer, length, want);
                    if (read == 0)
                    {
                        break;
                    }

                    length += read;
                }
            }

            byte[] safe = Redact(buffer.AsSpan(0, length), leasedKey, truncated: length >= limit);
            var content = new ByteArrayContent(safe);
            foreach (var header in original.Headers)
            {
                if (!string.Equals(header.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    content.Headers.TryAddWithoutValidation(header.Key, header.Value);
                }
            }

            response.Content = content;
            original.Dispose();
            return safe;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private byte[] Redact(ReadOnlySpan<byte> body, string leasedKey, bool truncated)
    {
        if (body.IsEmpty)
        {
            return [];
        }

        string text = Encoding.UTF8.GetString(body);
        var redactor = _pool.Redactor;
        bool changed = false;
        if (redactor.ContainsSecret(text))
        {
            text = redactor.Redact(text);
            changed = true;
        }

        // The leased key itself, whatever its shape, even if the pool dropped it meanwhile.
        if (text.Contains(leasedKey, StringComparison.Ordinal))
        {
            text = text.Replace(leasedKey, Keys.KeyMask.Mask(leasedKey), StringComparison.Ordinal);
            changed = true;
        }

        // A body cut at the limit may end inside the key, where no pattern matches any more: mask the fragment.
        if (truncated)
        {
            for (int n = Math.Min(leasedKey.Length - 1, text.Length); n >= 4; n--)
            {
                if (text.EndsWith(leasedKey.AsSpan(0, n), StringComparison.Ordinal))
                {
                    text = string.Concat(text.AsSpan(0, text.Length - n), "...");
                    changed = true;
                    break;
                }
            }
        }

        return changed ? Encoding.UTF8.GetBytes(text) : body.ToArray();
    }

    private HttpResponseMessage NoKey(HttpRequestMessage request, NoAvailableKeyException exception)
    {
        RemoveKey(request);
        if (_options.WhenNoKey != NoKeyBehavior.Synthesize429)
        {
            throw exception;
        }

        // Gemini's error shape, so a classifier downstream reads it as a bare rate limit.
        string message = System.Text.Json.JsonEncodedText.Encode(exception.Message).ToString();
        string json = "{\"error\":{\"code\":429,\"message\":\"" + message + "\",\"status\":\"RESOURCE_EXHAUSTED\"}}";
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests)
        {
            RequestMessage = request,
            ReasonPhrase = "No API key available",
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (exception.RetryAfter is { } wait)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", Math.Ceiling(Math.Max(wait.TotalSeconds, 0)).ToString(CultureInfo.InvariantCulture));
        }

        response.Headers.TryAddWithoutValidation("X-ApiKeys-No-Key", exception.Reason.ToString());
        return response;
    }
}
