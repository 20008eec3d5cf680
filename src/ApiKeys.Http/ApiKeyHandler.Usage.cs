using ApiKeys.Http.Usage;

namespace ApiKeys.Http;

public sealed partial class ApiKeyHandler
{
    /// <summary>
    /// Sends with accounting when someone wants it (<see cref="ApiKeyHandlerOptions.UsageSink"/>, or a <see cref="UsageScope"/>
    /// on the request): the attempts' keys and failures are noted by <see cref="SendCoreAsync"/>, the response's body is
    /// tapped for token counts, and the record is finished when the body ends. Without either, nothing is measured.
    /// </summary>
    private Task<HttpResponseMessage> SendMeteredAsync(HttpRequestMessage request, bool async, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var usage = UsageMeter.Start(request, _options.UsageSink, _time, _logger);

        // Nothing to measure: the send itself, with no async method of this one's around it.
        return usage is null ? SendCoreAsync(request, async, usage: null, cancellationToken) : SendMeteredAsync(request, async, usage, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendMeteredAsync(HttpRequestMessage request, bool async, UsageMeter usage, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await SendCoreAsync(request, async, usage, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            usage.Fail(e);
            throw;
        }

        return usage.Complete(response);
    }
}
