using ApiKeys.Gateway.Forwarding;

namespace ApiKeys.Gateway.Resources;

/// <summary>
/// Keeps requests on the key that owns their resources: before sending, finds the key that created what the request names
/// (in its path or body); after a success, remembers what a response created (a file, a cached content, an upload in
/// progress, whose address is rewritten to the gateway's) with the key that made it.
/// </summary>
internal sealed class ResourceRecorder(IResourceOwners owners, Uri upstream, TimeProvider time)
{
    public const string UploadUrlHeader = "x-goog-upload-url";
    private const int MaxCreatedBody = 1024 * 1024;

    /// <summary>The id of the key that must send this request, or null for any key.</summary>
    public async Task<string?> OwnerAsync(ForwardRoute route, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (route.Resource is { } named)
        {
            return await owners.OwnerAsync(named, cancellationToken).ConfigureAwait(false);
        }

        if (route.Flavor != RouteFlavor.Gemini)
        {
            return null;
        }

        foreach (var name in ResourceNames.UsedBy(body.Span))
        {
            if (await owners.OwnerAsync(name, cancellationToken).ConfigureAwait(false) is { } owner)
            {
                return owner;
            }
        }

        return null;
    }

    /// <summary>After the answer: remembers what it created or renewed (until the end the answer names), forgets what it deleted.</summary>
    public async Task RecordAsync(HttpContext http, HttpResponseMessage response, ForwardContext context)
    {
        if (!response.IsSuccessStatusCode || context.KeyId is not { } keyId)
        {
            return;
        }

        var route = context.Route;
        if (route.Deletes && route.Resource is { } deleted)
        {
            await owners.ForgetAsync(deleted, http.RequestAborted).ConfigureAwait(false);
        }

        if (!route.Creates)
        {
            return;
        }

        if (response.Headers.TryGetValues(UploadUrlHeader, out var urls) && urls.FirstOrDefault() is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uploadUri))
        {
            await RememberUploadAsync(http, response, uploadUri, keyId).ConfigureAwait(false);
        }

        if (response.Content.Headers.ContentType?.MediaType == "application/json" && response.Content.Headers.ContentLength is null or <= MaxCreatedBody)
        {
            byte[] json = await response.Content.ReadAsByteArrayAsync(http.RequestAborted).ConfigureAwait(false);
            if (ResourceNames.CreatedBy(json) is { } created)
            {
                var lifetime = created.Expires is { } end ? end - time.GetUtcNow() + ResourceNames.ClockSlack : ResourceNames.DefaultLifetime;
                if (lifetime > TimeSpan.Zero)
                {
                    await owners.RememberAsync(created.Name, keyId, lifetime, http.RequestAborted).ConfigureAwait(false);
                }
            }

            var replay = new ByteArrayContent(json);
            foreach (var header in response.Content.Headers.Where(h => !string.Equals(h.Key, "Content-Length", StringComparison.OrdinalIgnoreCase)))
            {
                replay.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }

            response.Content.Dispose();
            response.Content = replay;
        }
    }

    /// <summary>A resumable upload continues at the address Google gave: the client gets the gateway's instead, same path and query.</summary>
    private async Task RememberUploadAsync(HttpContext http, HttpResponseMessage response, Uri uploadUri, string keyId)
    {
        if (UploadId(uploadUri.Query) is { } id)
        {
            await owners.RememberAsync("upload:" + id, keyId, TimeSpan.FromDays(7), http.RequestAborted).ConfigureAwait(false);
        }

        string relative = uploadUri.PathAndQuery;
        string prefix = upstream.AbsolutePath.TrimEnd('/');
        if (prefix.Length > 0 && relative.StartsWith(prefix, StringComparison.Ordinal))
        {
            relative = relative[prefix.Length..];
        }

        var request = http.Request;
        response.Headers.Remove(UploadUrlHeader);
        response.Headers.TryAddWithoutValidation(UploadUrlHeader, $"{request.Scheme}://{request.Host}{request.PathBase}{relative}");
    }

    public static string? UploadId(string? query)
    {
        foreach (var part in (query ?? "").TrimStart('?').Split('&'))
        {
            if (part.StartsWith("upload_id=", StringComparison.Ordinal))
            {
                return Uri.UnescapeDataString(part["upload_id=".Length..]);
            }
        }

        return null;
    }
}
