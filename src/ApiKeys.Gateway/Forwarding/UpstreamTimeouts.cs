namespace ApiKeys.Gateway.Forwarding;

/// <summary>
/// The gateway's own timeouts for one request (there is no <c>HttpClient.Timeout</c>): the response headers must come within
/// one limit, then each chunk of the body within another of the previous one. The client going away cancels too.
/// </summary>
/// <remarks>
/// One source for both causes (a timer on it, the client's token registered to cancel it), not a timer source linked with
/// the client's: one allocation and one registration fewer a request. Which cause struck is told by the client's token.
/// </remarks>
internal sealed class UpstreamTimeouts : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _clientGone;
    private readonly CancellationTokenRegistration _registration;
    private readonly TimeSpan _headers;
    private readonly TimeSpan _idle;

    public UpstreamTimeouts(TimeSpan headers, TimeSpan idle, TimeProvider time, CancellationToken clientGone)
    {
        _headers = headers;
        _idle = idle;
        _clientGone = clientGone;
        _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _registration = clientGone.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _source);
    }

    /// <summary>Cancelled by a timeout or by the client going away.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether a timeout (not the client) cancelled.</summary>
    public bool TimedOut => _source.IsCancellationRequested && !_clientGone.IsCancellationRequested;

    /// <summary>The wait for response headers starts.</summary>
    public void StartHeaders() => _source.CancelAfter(_headers);

    /// <summary>The wait for the next chunk starts (called before each read).</summary>
    public void StartIdle() => _source.CancelAfter(_idle);

    public void Dispose()
    {
        _registration.Dispose();
        _source.Dispose();
    }
}
