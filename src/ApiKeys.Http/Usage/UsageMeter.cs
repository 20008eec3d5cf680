using ApiKeys.Pool;
using Microsoft.Extensions.Logging;

namespace ApiKeys.Http.Usage;

/// <summary>
/// The accounting of one request through <see cref="ApiKeyHandler"/>: notes each attempt's key and failure, taps a
/// successful response's body for its token counts as the caller reads it (<see cref="UsageTapContent"/>), and finishes the
/// <see cref="UsageRecord"/> once: when the body ends (or is abandoned), or at once when there is no body to wait for. Then
/// the record goes to the sink, unless the request's <see cref="UsageScope"/> says its owner emits it.
/// </summary>
internal sealed partial class UsageMeter
{
    private readonly IUsageSink? _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly long _start;
    private int _finished;

    public UsageMeter(UsageRecord record, IUsageSink? sink, TimeProvider time, ILogger logger)
    {
        Record = record;
        _sink = sink;
        _time = time;
        _logger = logger;
        _start = time.GetTimestamp();
    }

    public UsageRecord Record { get; }

    /// <summary>Starts the accounting of <paramref name="request"/>; null when nobody wants it (no sink, no scope): no cost then.</summary>
    public static UsageMeter? Start(HttpRequestMessage request, IUsageSink? sink, TimeProvider time, ILogger logger)
    {
        request.Options.TryGetValue(UsageScope.OptionKey, out var scope);
        if (scope is { EmittedByOwner: true })
        {
            sink = null;
        }
        else if (sink is null)
        {
            return null;
        }

        var record = new UsageRecord { Timestamp = time.GetUtcNow(), TokenName = scope?.TokenName, Route = scope?.Route };
        if (scope is not null)
        {
            scope.Record = record;
        }

        return new UsageMeter(record, sink, time, logger);
    }

    /// <summary>An attempt goes out with the key <paramref name="keyId"/>.</summary>
    public void Attempt(string keyId)
    {
        Record.Attempts++;
        Record.KeyId = keyId;
    }

    /// <summary>The attempt's result: null for a success.</summary>
    public void Result(KeyFailure? failure) => Record.Failure = failure?.Kind;

    /// <summary>The response the caller gets: a success's body is tapped for its token counts; anything else finishes now.</summary>
    public HttpResponseMessage Complete(HttpResponseMessage response)
    {
        Record.Status = (int)response.StatusCode;
        Record.TimeToFirstByte = _time.GetElapsedTime(_start);
        if (response.Headers.Contains("X-ApiKeys-No-Key"))
        {
            Record.Outcome = UsageOutcomes.NoKey;
        }
        else if (!response.IsSuccessStatusCode)
        {
            Record.Outcome = Record.Failure is { } kind ? UsageOutcomes.Of(kind) : UsageOutcomes.Of(FailureKind.Unknown);
        }
        else
        {
            Record.Failure = null;
            Record.Outcome = UsageOutcomes.Success;
            if (UsageScanner.CanScan(response.Content))
            {
                Record.TimeToFirstByte = null;
                response.Content = new UsageTapContent(response.Content, this);
                return response;
            }
        }

        Finish();
        return response;
    }

    /// <summary>The handler threw: no key, a network failure after the last attempt, or the caller gave up.</summary>
    public void Fail(Exception exception)
    {
        Record.Status = 0;
        Record.Outcome = exception switch
        {
            NoAvailableKeyException => UsageOutcomes.NoKey,
            OperationCanceledException when Record.Failure is null => UsageOutcomes.Cancelled,
            _ => UsageOutcomes.Of(Record.Failure ??= FailureKind.Transport),
        };
        Finish();
    }

    /// <summary>The first bytes of the body arrived.</summary>
    public void FirstByte() => Record.TimeToFirstByte ??= _time.GetElapsedTime(_start);

    /// <summary>The body ended (<paramref name="interrupted"/>: its reading failed); the tokens are the scanner's.</summary>
    public void BodyEnded(UsageScanner scanner, bool interrupted)
    {
        if (scanner.Found)
        {
            Record.InputTokens = scanner.Input;
            Record.OutputTokens = scanner.Output;
            Record.CachedTokens = scanner.Cached;
            Record.ThinkingTokens = scanner.Thinking;
        }

        if (interrupted && Volatile.Read(ref _finished) == 0)
        {
            Record.Failure = FailureKind.Transport;
            Record.Outcome = UsageOutcomes.Of(FailureKind.Transport);
        }

        Finish();
    }

    private void Finish()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }

        Record.Latency = _time.GetElapsedTime(_start);
        if (_sink is null)
        {
            return;
        }

        try
        {
            _sink.Record(Record);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            SinkFailed(_logger, _sink.GetType().Name, e.Message);
        }
    }

    [LoggerMessage(EventId = 2005, EventName = "UsageSinkFailed", Level = LogLevel.Error, Message = "The usage sink {Sink} failed: {Message}")]
    private static partial void SinkFailed(ILogger logger, string sink, string message);
}
