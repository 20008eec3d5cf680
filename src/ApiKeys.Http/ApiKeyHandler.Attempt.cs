using System.Runtime.ExceptionServices;
using ApiKeys.Http.Usage;
using ApiKeys.Pool;

namespace ApiKeys.Http;

public sealed partial class ApiKeyHandler
{
    /// <summary>
    /// One attempt with <paramref name="lease"/>'s key: the request sent, the answer classified, the outcome reported, the
    /// lease released. A success returns the response; a failure returns it (or the transport error) for the retry decision.
    /// </summary>
    private async ValueTask<(HttpResponseMessage? Response, KeyFailure? Failure, ExceptionDispatchInfo? Error)> AttemptAsync(
        HttpRequestMessage request, KeyLease lease, string? model, UsageMeter? usage, bool async, CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        KeyFailure? failure;
        ExceptionDispatchInfo? error = null;
        using (lease)
        {
            using var timeout = _options.AttemptTimeout is { } t ? new CancellationTokenSource(t, _time) : null;
            using var linked = timeout is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            var token = linked?.Token ?? cancellationToken;
            try
            {
                usage?.Attempt(lease.KeyId);
                ApplyKey(request, lease.Key);
                response = async ? await base.SendAsync(request, token).ConfigureAwait(false) : base.Send(request, token);
                failure = response.IsSuccessStatusCode
                    ? null
                    : _classifier.Classify(response, await ReadErrorBodyAsync(response, async, lease.Key, token).ConfigureAwait(false), model);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // The caller gave up (or HttpClient.Timeout struck): the key is released with no strike.
                response?.Dispose();
                Log.AttemptCancelled(_logger, lease.KeyId, lease.Mask);
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

            // Outside the attempt's try: a pool whose report throws (a backend's error) neither loses a
            // successful response nor turns into a second report.
            Report(lease, failure);
        }

        return (response, failure, error);
    }
}
