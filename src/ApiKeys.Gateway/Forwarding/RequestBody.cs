using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;

namespace ApiKeys.Gateway.Forwarding;

/// <summary>
/// The request body, read whole before forwarding (up to a limit) so that another key can be tried with the same bytes,
/// and so that the OpenAI-compatible routes can read the model from it.
/// </summary>
internal static class RequestBody
{
    /// <summary>The body, or null when it is longer than <paramref name="limit"/>.</summary>
    public static async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength is { } declared && declared > limit)
        {
            return null;
        }

        // The gateway's own limit governs (Kestrel's default is 30 MB).
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = null;
        }

        if (request.ContentLength is 0 || (request.ContentLength is null && !HasBody(request)))
        {
            return ReadOnlyMemory<byte>.Empty;
        }

        if (request.ContentLength is { } length)
        {
            var exact = new byte[length];
            int read = await request.Body.ReadAtLeastAsync(exact, exact.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return exact.AsMemory(0, read);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        while (true)
        {
            int read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
            }

            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }
    }

    /// <summary>The top-level <c>"model"</c> of a JSON body (<c>models/</c> prefix removed), or null.</summary>
    public static string? Model(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                bool isModel = reader.ValueTextEquals("model"u8);
                reader.Read();
                if (isModel)
                {
                    return reader.TokenType == JsonTokenType.String ? Tokens.ModelNames.Normalize(reader.GetString()!) : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: the upstream will say so; the request has no model here.
        }

        return null;
    }

    private static bool HasBody(HttpRequest request) =>
        request.HttpContext.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody ?? true;
}
