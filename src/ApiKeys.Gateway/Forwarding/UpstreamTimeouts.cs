namespace ApiKeys.Gateway.Forwarding;

/// <summary>
/// The gateway's own timeouts for one request (there is no <c>HttpClient.Timeout</c>): the response headers must come within
/// one limit, then each chunk of the body within another of the previous one. The client going away cancels too.
/// </summary>
internal sealed class UpstreamTimeouts : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;
    private readonly TimeSpan _headers;
    private readonly TimeSpan _idle;

    public UpstreamTimeouts(TimeSpan headers, TimeSpan idle, TimeProvider time, CancellationToken clientGone)
    {
        _headers = headers;
        _idle = idle;
        _timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(clientGone, _timer.Token);
    }

    /// <summary>Cancelled by a timeout or by the client going away.</summary>
    public CancellationToken Token => _linked.Token;

    /// <summary>Whether a timeout (not the client) cancelled.</summary>
    public bool TimedOut => _timer.IsCancellationRequested;

    /// <summary>The wait for response headers starts.</summary>
    public void StartHeaders() => _timer.CancelAfter(_headers);

    /// <summary>The wait for the next chunk starts (called before each read).</summary>
    public void StartIdle() => _timer.CancelAfter(_idle);

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
