using ApiKeys.Gateway.Hosting;
using ApiKeys.Gateway.Logging;
using ApiKeys.Gateway.Resources;
using ApiKeys.Gateway.Tokens;
using ApiKeys.Http;
using ApiKeys.Pool;
using Microsoft.Extensions.Options;

namespace ApiKeys.Gateway.Forwarding;

/// <summary>
/// Forwards one request, step by step: the client's token (401), the body (413), the model (403), the token's limits (429),
/// a key and the upstream's headers (retried on another key by <see cref="Http.ApiKeyHandler"/>; 429 / 503 when no key can
/// serve; 504 / 502), then the body streamed as it comes. Every step records what it learned in the request's
/// <see cref="ForwardContext"/>, which the observers (the access log) get at the end.
/// </summary>
internal sealed class Forwarder
{
    private readonly GatewayBackend _backend;
    private readonly UpstreamClient _upstream;
    private readonly ResponseStreamer _streamer;
    private readonly ResourceRecorder _resources;
    private readonly GatewayOptions _options;
    private readonly Uri _upstreamUri;
    private readonly UpstreamAddresses _addresses;
    private readonly IForwardObserver[] _observers;
    private readonly InFlightRequests _inFlight;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public Forwarder(GatewayBackend backend, UpstreamClient upstream, IOptions<GatewayOptions> options, IEnumerable<IForwardObserver> observers,
        InFlightRequests inFlight, TimeProvider time, ILogger<Forwarder> logger)
    {
        _backend = backend;
        _upstream = upstream;
        _options = options.Value;
        _upstreamUri = _options.UpstreamUri;
        _addresses = new UpstreamAddresses(_upstreamUri);
        _observers = [.. observers];
        _inFlight = inFlight;
        _time = time;
        _logger = logger;
        _streamer = new ResponseStreamer(upstream, time, logger);
        _resources = new ResourceRecorder(backend.Owners, _upstreamUri, time);
    }

    public async Task ForwardAsync(HttpContext http, ForwardRoute route)
    {
        var context = new ForwardContext(route, http.Request.Method, _time.GetTimestamp());
        http.Features.Set(context);
        using var tracked = _inFlight.Enter();
        try
        {
            await RunAsync(http, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or Redis.RedisKeyPoolUnavailableException && !http.Response.HasStarted)
        {
            // Redis is down (and the pool does not fall back to local state): say so, in the route's shape, not as a bare 500.
            await Reject(http, context, GatewayError.BackendUnavailable(e.GetType().Name)).ConfigureAwait(false);
        }
        catch (Exception e) when (http.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away: the upstream call was cancelled with it, and its key released with no strike.
            context.Outcome = GatewayOutcome.ClientDisconnected;
            context.Status = 499;
        }
        finally
        {
            context.Latency = _time.GetElapsedTime(context.StartTimestamp);
            Notify(context);
        }
    }

    private async Task RunAsync(HttpContext http, ForwardContext context)
    {
        var token = await AuthenticateAsync(http, context).ConfigureAwait(false);
        if (token is null)
        {
            return;
        }

        var body = await ReadBodyAsync(http, context).ConfigureAwait(false);
        if (body is not { } bytes || !await CheckModelAsync(http, context, token, bytes).ConfigureAwait(false))
        {
            return;
        }

        using var limit = await _backend.Limits.AcquireAsync(token, http.RequestAborted).ConfigureAwait(false);
        if (!limit.IsAcquired)
        {
            await Reject(http, context, GatewayError.ClientLimit(token.Name, limit.ExceededLimit!, limit.RetryAfter)).ConfigureAwait(false);
            return;
        }

        string? owner = await _resources.OwnerAsync(context.Route, bytes, http.RequestAborted).ConfigureAwait(false);
        using var request = UpstreamRequest.Create(http.Request, _addresses, context.Route, bytes, context);
        using var timeouts = new UpstreamTimeouts(_options.ResponseHeadersTimeout, _options.StreamIdleTimeout, _time, http.RequestAborted);
        HttpResponseMessage response;
        try
        {
            // The upstream's response headers, after the handler's retries (with the owner's key alone when the request
            // names a resource that key created). Here, not in a method of its own: one async state machine fewer.
            timeouts.StartHeaders();
            Pin(request, owner);
            response = await _upstream.SendAsync(context.Route.Flavor, request, timeouts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (IsSendFailure(http, timeouts, e))
        {
            await Reject(http, context, SendError(context, e)).ConfigureAwait(false);
            return;
        }

        using (response)
        {
            await _resources.RecordAsync(http, response, context).ConfigureAwait(false);
            await _streamer.CopyAsync(http, response, context, timeouts).ConfigureAwait(false);
        }
    }

    /// <summary>The client's token: present, known, not expired. Null after answering 401.</summary>
    private async ValueTask<ClientToken?> AuthenticateAsync(HttpContext http, ForwardContext context)
    {
        string? presented = ClientCredential.Read(http.Request);
        var token = presented is null ? null : await _backend.Tokens.FindAsync(presented, http.RequestAborted).ConfigureAwait(false);
        if (token is null || token.IsExpired(_time.GetUtcNow()))
        {
            await Reject(http, context, GatewayError.Unauthorized()).ConfigureAwait(false);
            return null;
        }

        context.TokenName = token.Name;
        return token;
    }

    private async ValueTask<ReadOnlyMemory<byte>?> ReadBodyAsync(HttpContext http, ForwardContext context)
    {
        var body = await RequestBody.ReadAsync(http.Request, _options.MaxRequestBodyBytes, http.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await Reject(http, context, GatewayError.BodyTooLarge(_options.MaxRequestBodyBytes)).ConfigureAwait(false);
            return null;
        }

        context.RequestBytes = body.Value.Length;
        return body;
    }

    private static async ValueTask<bool> CheckModelAsync(HttpContext http, ForwardContext context, ClientToken token, ReadOnlyMemory<byte> body)
    {
        if (context.Route.ModelInBody)
        {
            context.Model ??= RequestBody.Model(body.Span);
        }

        if (token.AllowsModel(context.Model))
        {
            return true;
        }

        await Reject(http, context, GatewayError.ModelNotAllowed(token.Name, context.Model!)).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// Whether sending failed in a way the gateway answers itself: no key can serve (429 / 503), no response headers in
    /// time (504), the upstream unreachable (502). The client going away is not one: nobody is left to answer.
    /// </summary>
    private static bool IsSendFailure(HttpContext http, UpstreamTimeouts timeouts, Exception e) =>
        e is NoAvailableKeyException
        || (!http.RequestAborted.IsCancellationRequested && ((e is OperationCanceledException && timeouts.TimedOut) || e is HttpRequestException or IOException));

    /// <summary>The gateway's answer to a failure <see cref="IsSendFailure"/> accepted.</summary>
    private GatewayError SendError(ForwardContext context, Exception e)
    {
        if (e is NoAvailableKeyException none)
        {
            return none.Reason is NoKeyReason.AllDisabled or NoKeyReason.Empty
                ? GatewayError.NoUsableKey(none.Message)
                : GatewayError.NoKey(none.Message, none.RetryAfter ?? TimeSpan.FromSeconds(1));
        }

        context.Failure = FailureKind.Transport;
        return e is OperationCanceledException
            ? GatewayError.UpstreamTimeout(_options.ResponseHeadersTimeout)
            : GatewayError.UpstreamUnreachable(_backend.Pool.Redactor.Redact(e.Message));
    }

    /// <summary>
    /// A request naming a resource goes with the key that created it (no other key can see it), through the same handler as
    /// any other: its error read and masked, its outcome reported, its tokens counted. A key the pool no longer holds: any key.
    /// </summary>
    private void Pin(HttpRequestMessage request, string? owner)
    {
        if (owner is not null && _backend.Pool.Keys.FirstOrDefault(k => k.Id == owner) is { } key)
        {
            request.Options.Set(PinnedKey.OptionKey, new PinnedKey(key, outcome => _backend.Report(key, outcome)));
        }
    }

    private static Task Reject(HttpContext http, ForwardContext context, GatewayError error) =>
        ErrorWriter.WriteAsync(http, context.Route.Flavor, error, context);

    private void Notify(ForwardContext context)
    {
        foreach (var observer in _observers)
        {
            try
            {
                observer.OnCompleted(context);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                GatewayLog.ObserverFailed(_logger, observer.GetType().Name, e.Message);
            }
        }
    }
}
