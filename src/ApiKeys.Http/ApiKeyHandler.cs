using System.Net.Http.Headers;
using System.Runtime.ExceptionServices;
using ApiKeys.Http.Classification;
using ApiKeys.Http.Usage;
using ApiKeys.Pool;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApiKeys.Http;

/// <summary>
/// Picks a key from the pool for every request, sends it in a header (never in the URL), reads the answer, reports the
/// outcome, and retries on another key when the failure allows it. Success bodies (server-sent events included) stream
/// through untouched; error bodies are read up to a limit, classified, and handed on with every key-shaped string masked.
/// </summary>
/// <remarks>
/// The caller sees the last attempt's response. When no key is available before any attempt: a
/// <see cref="NoAvailableKeyException"/>, or a synthesized 429 (<see cref="NoKeyBehavior.Synthesize429"/>).
/// Cancelling the request releases its key with no strike.
/// </remarks>
public sealed partial class ApiKeyHandler : DelegatingHandler
{
    private readonly IKeyPool _pool;
    private readonly ApiKeyHandlerOptions _options;
    private readonly IResponseClassifier _classifier;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Random _random;

    /// <summary>Creates the handler (its inner handler is set by <c>IHttpClientFactory</c> or by the caller).</summary>
    /// <param name="pool">The key pool.</param>
    /// <param name="options">The options; null for the defaults (Gemini).</param>
    /// <param name="logger">A logger; null for none.</param>
    /// <param name="timeProvider">The clock for backoff and timeouts; null for the system clock.</param>
    /// <param name="random">Randomness for backoff jitter; null for <see cref="Random.Shared"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public ApiKeyHandler(IKeyPool pool, ApiKeyHandlerOptions? options = null, ILogger<ApiKeyHandler>? logger = null,
        TimeProvider? timeProvider = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        _pool = pool;
        _options = options ?? new ApiKeyHandlerOptions();
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _classifier = _options.ResolveClassifier(_time);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _random = random ?? Random.Shared;
    }

    /// <summary>Creates the handler around <paramref name="innerHandler"/> (e.g. a <see cref="SocketsHttpHandler"/>).</summary>
    /// <param name="pool">The key pool.</param>
    /// <param name="innerHandler">The handler that sends the requests.</param>
    /// <param name="options">The options; null for the defaults (Gemini).</param>
    /// <param name="logger">A logger; null for none.</param>
    /// <param name="timeProvider">The clock for backoff and timeouts; null for the system clock.</param>
    /// <param name="random">Randomness for backoff jitter; null for <see cref="Random.Shared"/>.</param>
    public ApiKeyHandler(IKeyPool pool, HttpMessageHandler innerHandler, ApiKeyHandlerOptions? options = null, ILogger<ApiKeyHandler>? logger = null,
        TimeProvider? timeProvider = null, Random? random = null)
        : this(pool, options, logger, timeProvider, random)
    {
        ArgumentNullException.ThrowIfNull(innerHandler);
        InnerHandler = innerHandler;
    }

    /// <inheritdoc />
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // With async: false every await below is on a completed task: this runs synchronously.
        var pending = SendMeteredAsync(request, async: false, cancellationToken);
        return pending.GetAwaiter().GetResult();
    }

    /// <inheritdoc />
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendMeteredAsync(request, async: true, cancellationToken);

    /// <summary>
    /// The retry loop: a key (a lease from the pool, or the request's <see cref="PinnedKey"/>), one attempt with it (the key
    /// in the header and out again, an error body read, masked and classified), its outcome reported; then another key, after
    /// a backoff, while the failure allows it and keys remain. The response returned is the first success or the last failure.
    /// </summary>
    /// <remarks>A <see cref="Task"/>, not a <see cref="ValueTask"/>: <see cref="SendAsync"/> hands it on as it is, where a value task would be wrapped in one more task and one more continuation.</remarks>
    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, bool async, UsageMeter? usage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (model, replayable) = await PrepareAsync(request, async, cancellationToken).ConfigureAwait(false);
        usage?.Record.Model = model;
        request.Options.TryGetValue(PinnedKey.OptionKey, out var pinned);
        HttpResponseMessage? last = null;
        int backoffs = 0;
        for (int attempt = 1; ; attempt++)
        {
            KeyLease? lease = null; // none for a pinned request: its one key is given
            if (pinned is null && !TryAcquire(model, out lease, out var none))
            {
                return last ?? NoKey(request, none!);
            }

            last?.Dispose();
            last = null;
            var key = AttemptKey.Of(lease, pinned);
            HttpResponseMessage? response = null;
            KeyFailure? failure;
            ExceptionDispatchInfo? error = null;
            using (lease)
            {
                // The attempt, here and not in a method of its own: one async state machine fewer to suspend and resume.
                using var deadline = AttemptDeadline.Start(_options.AttemptTimeout, _time, cancellationToken);
                var token = deadline?.Token ?? cancellationToken;
                try
                {
                    usage?.Attempt(key.Id);
                    ApplyKey(request, key.Secret);
                    response = async ? await base.SendAsync(request, token).ConfigureAwait(false) : base.Send(request, token);
                    failure = response.IsSuccessStatusCode
                        ? null
                        : _classifier.Classify(response, await ReadErrorBodyAsync(response, async, key.Secret, token).ConfigureAwait(false), model);
                }
                catch (Exception ex)
                {
                    response?.Dispose();
                    response = null;
                    (failure, error) = Caught(ex, key, cancellationToken);
                }
                finally
                {
                    RemoveKey(request);
                }

                Report(usage, lease, pinned, failure, model, key);
            }

            if (failure is null || !TryAgain(attempt, replayable, pinned is not null, failure, key))
            {
                error?.Throw();
                return response!;
            }

            last = response;
            await BackoffAsync(failure, failure.NeedsBackoff ? ++backoffs : backoffs, last, async, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The request's model (the selector's, the path's, or the body's) and whether its content can be sent again; the key leaves its query.</summary>
    private async ValueTask<(string? Model, bool Replayable)> PrepareAsync(HttpRequestMessage request, bool async, CancellationToken cancellationToken)
    {
        string? model = _options.ModelSelector is { } select ? select(request) : GeminiRequest.Model(request.RequestUri);
        request.RequestUri = GeminiRequest.WithoutKeyInQuery(request.RequestUri);
        bool modelFromBody = model is null && _options.ReadModelFromBody && GeminiRequest.IsJson(request.Content);
        bool replayable = await MakeReplayableAsync(request, async, modelFromBody, cancellationToken).ConfigureAwait(false);
        if (modelFromBody && replayable)
        {
            model = await GeminiRequest.ModelInBodyAsync(request.Content!, async, cancellationToken).ConfigureAwait(false);
        }

        return (model, replayable);
    }

    private static bool IsTransport(Exception ex) => ex is HttpRequestException or OperationCanceledException or IOException or TimeoutException;

    /// <summary>Makes the content replayable (from its own bytes, or buffered once); false when it can be sent only once.</summary>
    /// <param name="request">The request.</param>
    /// <param name="async">Whether to buffer asynchronously.</param>
    /// <param name="forModel">Whether the body is to be read for the model: buffered even for a single attempt.</param>
    /// <param name="cancellationToken">Stops the buffering.</param>
    private async ValueTask<bool> MakeReplayableAsync(HttpRequestMessage request, bool async, bool forModel, CancellationToken cancellationToken)
    {
        if (request.Content is null)
        {
            return true;
        }

        if (request.Content is ByteArrayContent or ReadOnlyMemoryContent)
        {
            // Sent from their own bytes on every attempt (StringContent and FormUrlEncodedContent are ByteArrayContent).
            return true;
        }

        if (!_options.BufferRequestContent || (_options.MaxAttempts == 1 && !forModel))
        {
            return false;
        }

        // Buffered content is sent from its buffer on every attempt.
        if (async)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            request.Content.LoadIntoBufferAsync(cancellationToken).GetAwaiter().GetResult();
        }

        return true;
    }

    private void ApplyKey(HttpRequestMessage request, string key)
    {
        switch (_options.Placement)
        {
            case KeyPlacement.BearerToken:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                break;
            case KeyPlacement.CustomHeader:
                request.Headers.Remove(_options.HeaderName);
                request.Headers.TryAddWithoutValidation(_options.HeaderName, key);
                break;
            default:
                request.Headers.Remove(GoogApiKeyHeader);
                request.Headers.TryAddWithoutValidation(GoogApiKeyHeader, key);
                break;
        }
    }

    /// <summary>The secret leaves the request once it is sent: the caller may log the request (<c>response.RequestMessage</c>).</summary>
    private void RemoveKey(HttpRequestMessage request)
    {
        switch (_options.Placement)
        {
            case KeyPlacement.BearerToken:
                request.Headers.Authorization = null;
                break;
            case KeyPlacement.CustomHeader:
                request.Headers.Remove(_options.HeaderName);
                break;
            default:
                request.Headers.Remove(GoogApiKeyHeader);
                break;
        }
    }

    /// <summary>Waits before the next attempt when <paramref name="failure"/> asks for it; <paramref name="last"/> (the response kept for the caller if no key is left) is disposed if the wait is cancelled.</summary>
    private async ValueTask BackoffAsync(KeyFailure failure, int backoffs, HttpResponseMessage? last, bool async, CancellationToken cancellationToken)
    {
        if (!failure.NeedsBackoff || _options.BaseBackoff <= TimeSpan.Zero)
        {
            return;
        }

        double exponential = _options.BaseBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(backoffs - 1, 16));
        double wanted = Math.Max(exponential, failure.RetryAfter?.TotalMilliseconds ?? 0);
        double capped = Math.Min(wanted, _options.MaxBackoff.TotalMilliseconds);
        var delay = TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * _random.NextDouble())));
        try
        {
            var wait = Task.Delay(delay, _time, cancellationToken);
            if (async)
            {
                await wait.ConfigureAwait(false);
            }
            else
            {
                wait.GetAwaiter().GetResult();
            }
        }
        catch
        {
            last?.Dispose();
            throw;
        }
    }
}
