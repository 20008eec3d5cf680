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
    private readonly TimeProvider _time;
    private long _armed;
    private TimeSpan _armedFor;

    public UpstreamTimeouts(TimeSpan headers, TimeSpan idle, TimeProvider time, CancellationToken clientGone)
    {
        _headers = headers;
        _idle = idle;
        _time = time;
        _clientGone = clientGone;
        _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _registration = clientGone.UnsafeRegister(static state => ((CancellationTokenSource)state!).Cancel(), _source);
    }

    /// <summary>Cancelled by a timeout or by the client going away.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Whether a timeout (not the client) cancelled.</summary>
    public bool TimedOut => _source.IsCancellationRequested && !_clientGone.IsCancellationRequested;

    /// <summary>The wait for response headers starts.</summary>
    public void StartHeaders() => Arm(_headers);

    /// <summary>The wait for the next chunk starts (a read is waiting for one).</summary>
    public void StartIdle() => Arm(_idle);

    /// <summary>
    /// A read completed at once (its bytes were there): the body makes progress, so the timer is pushed back to the idle
    /// timeout when less than half of it is left, not at every read (a timer change costs more than reading the clock).
    /// A transfer that keeps making progress is never cancelled, however long it lasts.
    /// </summary>
    public void Progressed()
    {
        if (_armedFor - _time.GetElapsedTime(_armed) < _idle / 2)
        {
            Arm(_idle);
        }
    }

    private void Arm(TimeSpan timeout)
    {
        _armed = _time.GetTimestamp();
        _armedFor = timeout;
        _source.CancelAfter(timeout);
    }

    public void Dispose()
    {
        _registration.Dispose();
        _source.Dispose();
    }
}
