using System.Buffers;
using ApiKeys.Gateway.Logging;
using ApiKeys.Http.Usage;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace ApiKeys.Gateway.Forwarding;

/// <summary>
/// Copies the upstream's answer to the client as it arrives: status and headers (not hop-by-hop ones), then each chunk of
/// the body written and flushed at once (no buffering, no compression). A failure or silence of the upstream after the first
/// byte ends the stream where it stands: nothing is retried once the client has bytes.
/// </summary>
internal sealed class ResponseStreamer(UpstreamClient upstream, TimeProvider time, ILogger<Forwarder> logger)
{
    /// <summary>The header naming the kind of an upstream failure passed through (<c>RateLimited</c>, <c>InvalidKey</c>...).</summary>
    public const string FailureHeader = "x-apikeys-failure";

    private const int ChunkSize = 16 * 1024;

    public async Task CopyAsync(HttpContext http, HttpResponseMessage response, ForwardContext context, UpstreamTimeouts timeouts)
    {
        var client = http.Response;
        client.StatusCode = (int)response.StatusCode;
        context.Status = client.StatusCode;
        var connection = response.Headers.NonValidated.TryGetValues("Connection", out var named) ? new StringValues([.. named]) : StringValues.Empty;
        CopyHeaders(response.Headers, client.Headers, connection);
        CopyHeaders(response.Content.Headers, client.Headers, connection);
        client.Headers["X-Accel-Buffering"] = "no";
        if (!response.IsSuccessStatusCode)
        {
            await ClassifyAsync(response, context, client).ConfigureAwait(false);
        }

        // A body of known length keeps it (as nginx does): the client reads exactly that many bytes, and Kestrel ends the
        // response with its last write instead of a separate chunked terminator (one send fewer a response). A stream
        // (server-sent events) has no length upstream and goes chunked, each chunk flushed.
        long? length = KnownLength(response);
        if (length is not null)
        {
            client.ContentLength = length;
        }

        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var opening = response.Content.ReadAsStreamAsync(timeouts.Token);
        if (!opening.IsCompleted)
        {
            timeouts.StartIdle();
        }

        var body = await opening.ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            // The token counts are read from a success's body as it goes by, in the same loop (one pass, nothing kept).
            var tokens = response.IsSuccessStatusCode && UsageScanner.CanScan(response.Content) ? new UsageScanner() : null;
            try
            {
                await PumpAsync(http, body, context, timeouts, length, tokens).ConfigureAwait(false);
            }
            finally
            {
                // Also when the client went away mid-stream: what the API counted so far was used (a Gemini stream's counts
                // are running totals).
                Counted(context, tokens);
            }
        }
    }

    private static void Counted(ForwardContext context, UsageScanner? tokens)
    {
        if (tokens is { Found: true })
        {
            context.InputTokens = tokens.Input;
            context.OutputTokens = tokens.Output;
            context.CachedTokens = tokens.Cached;
            context.ThinkingTokens = tokens.Thinking;
        }
    }

    private async Task PumpAsync(HttpContext http, Stream body, ForwardContext context, UpstreamTimeouts timeouts, long? length, UsageScanner? tokens)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            // The idle timeout runs while a read waits: it is set when a read does not complete at once (a chunk not here
            // yet); one that does (a short answer, read with its headers) only pushes the timer back when it nears its end.
            // None after the last byte of a body of known length (nothing to wait for).
            while (length is null || context.ResponseBytes < length)
            {
                int read;
                try
                {
                    read = await ReadAsync(body, buffer, timeouts).ConfigureAwait(false);
                }
                catch (Exception e) when (!http.RequestAborted.IsCancellationRequested && e is IOException or HttpRequestException or OperationCanceledException)
                {
                    if (Interrupted(http, context, timeouts, e, cut: length is not null))
                    {
                        return;
                    }

                    break;
                }

                if (read == 0)
                {
                    break;
                }

                context.TimeToFirstByte ??= time.GetElapsedTime(context.StartTimestamp);
                tokens?.Write(buffer.AsSpan(0, read));
                await http.Response.Body.WriteAsync(buffer.AsMemory(0, read), http.RequestAborted).ConfigureAwait(false);
                if (length is null)
                {
                    // A stream: Kestrel sends each write at once too; the flush says so for any server.
                    await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
                }

                context.ResponseBytes += read;
            }

            if (!http.Response.HasStarted)
            {
                await http.Response.StartAsync(http.RequestAborted).ConfigureAwait(false);
                context.TimeToFirstByte ??= time.GetElapsedTime(context.StartTimestamp);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Starts a read of the next chunk, the idle timer running while it waits.</summary>
    private static ValueTask<int> ReadAsync(Stream body, byte[] buffer, UpstreamTimeouts timeouts)
    {
        var reading = body.ReadAsync(buffer, timeouts.Token);
        if (reading.IsCompleted)
        {
            timeouts.Progressed();
        }
        else
        {
            timeouts.StartIdle();
        }

        return reading;
    }

    /// <summary>
    /// The upstream's body failed after the first byte: there is no retry, the stream ends where it stands, cleanly, and the
    /// log says why. A body of announced length cannot end early and look whole: the client's connection is <paramref name="cut"/>
    /// (its HTTP stack reports an incomplete response). True when it was.
    /// </summary>
    private bool Interrupted(HttpContext http, ForwardContext context, UpstreamTimeouts timeouts, Exception e, bool cut)
    {
        context.Outcome = GatewayOutcome.StreamInterrupted;
        context.Failure = Pool.FailureKind.Transport;
        GatewayLog.StreamInterrupted(logger, context.Route.Name, context.ResponseBytes, timeouts.TimedOut ? "no data within the idle timeout" : e.GetType().Name);
        if (cut)
        {
            http.Abort();
        }

        return cut;
    }

    /// <summary>Names the failure's kind in a header (the handler already masked every key in the body).</summary>
    private async Task ClassifyAsync(HttpResponseMessage response, ForwardContext context, HttpResponse client)
    {
        // The handler read the error body (to classify it and mask keys) and put it back as bytes: reading it is free.
        var bytes = response.Content is ByteArrayContent ? await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false) : [];
        var failure = upstream.Classifier.Classify(response, bytes, context.Model);
        if (failure is not null)
        {
            context.Failure = failure.Kind;
            client.Headers[FailureHeader] = failure.Kind.ToString();
        }
    }

    /// <summary>The body's length when the upstream sent one (read raw: parsing the header takes its collection's lock), or the handler's bytes'.</summary>
    internal static long? KnownLength(HttpResponseMessage response)
    {
        // No body may follow these (Kestrel refuses a length on them): the upstream's header is not passed on.
        if ((int)response.StatusCode is < 200 or 204 or 205 or 304)
        {
            return null;
        }

        var content = response.Content;
        if (content.Headers.NonValidated.TryGetValues("Content-Length", out var raw))
        {
            return long.TryParse(raw.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long length) ? length : null;
        }

        return content is ByteArrayContent ? content.Headers.ContentLength : null;
    }

    private static void CopyHeaders(System.Net.Http.Headers.HttpHeaders from, IHeaderDictionary to, StringValues connection)
    {
        // As the upstream sent them (NonValidated): nothing is parsed only to be written out again.
        foreach (var (name, values) in from.NonValidated)
        {
            if (ForwardedHeaders.ToClient(name, connection))
            {
                to[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues([.. values]);
            }
        }
    }
}
