using System.Runtime.ExceptionServices;
using ApiKeys.Http.Usage;
using ApiKeys.Pool;

namespace ApiKeys.Http;

public sealed partial class ApiKeyHandler
{
    /// <summary>
    /// Sends the request once with <paramref name="key"/>: the key goes into the request's header and out of it afterwards,
    /// an error body is read, masked and classified. A transport failure is classified and captured, to be thrown when no
    /// other attempt follows; a cancellation by the caller is thrown at once.
    /// </summary>
    private async ValueTask<Attempted> SendOnceAsync(HttpRequestMessage request, string key, string keyId, string mask, string? model, bool async,
        UsageMeter? usage, CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        KeyFailure? failure;
        ExceptionDispatchInfo? error = null;
        using var timeout = _options.AttemptTimeout is { } t ? new CancellationTokenSource(t, _time) : null;
        using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked?.Token ?? cancellationToken;
        try
        {
            usage?.Attempt(keyId);
            ApplyKey(request, key);
            response = async ? await base.SendAsync(request, token).ConfigureAwait(false) : base.Send(request, token);
            failure = response.IsSuccessStatusCode
                ? null
                : _classifier.Classify(response, await ReadErrorBodyAsync(response, async, key, token).ConfigureAwait(false), model);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller gave up (or HttpClient.Timeout struck): the key is released with no strike.
            response?.Dispose();
            Log.AttemptCancelled(_logger, keyId, mask);
            throw;
        }
        catch (Exception ex) when (IsTransport(ex))
        {
            response?.Dispose();
            response = null;
            failure = _classifier.ClassifyException(ex);
            error = ExceptionDispatchInfo.Capture(ex);
        }
        catch
        {
            // A classifier or body reader that throws must not leak the connection.
            response?.Dispose();
            throw;
        }
        finally
        {
            RemoveKey(request);
        }

        usage?.Result(failure);
        return new Attempted(response, failure, error);
    }

    /// <summary>
    /// A request pinned to one key (<see cref="PinnedKey"/>): one attempt, no lease, no retry on another key (none could
    /// serve it); the outcome goes to the pin's report.
    /// </summary>
    private async ValueTask<HttpResponseMessage> SendPinnedAsync(HttpRequestMessage request, PinnedKey pinned, string? model, bool async, UsageMeter? usage,
        CancellationToken cancellationToken)
    {
        var key = pinned.Key;
        var (response, failure, error) = await SendOnceAsync(request, key.Secret, key.Id, key.Mask, model, async, usage, cancellationToken).ConfigureAwait(false);
        try
        {
            pinned.Report?.Invoke(failure is null ? KeyOutcome.Success(model) : KeyOutcome.Failed(failure, failure.Model ?? model));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.ReportFailed(_logger, key.Id, key.Mask, _pool.Redactor.Redact(ex.Message));
        }

        if (failure is null)
        {
            return response!;
        }

        Log.AttemptFailed(_logger, 1, key.Id, key.Mask, failure.ToString(), "giving up (the request is pinned to this key)");
        error?.Throw();
        return response!;
    }

    /// <summary>What one attempt gave: a response (null after a transport failure), its failure (null: a success), the exception to rethrow.</summary>
    private readonly record struct Attempted(HttpResponseMessage? Response, KeyFailure? Failure, ExceptionDispatchInfo? Error);
}
