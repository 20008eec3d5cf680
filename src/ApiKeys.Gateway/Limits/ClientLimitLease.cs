namespace ApiKeys.Gateway.Limits;

/// <summary>A client's permission to send one request, held until the request ends (it counts against the concurrency limit).</summary>
public sealed class ClientLimitLease : IDisposable
{
    private readonly IDisposable? _release;
    private int _disposed;

    private ClientLimitLease(bool acquired, string? exceeded, TimeSpan retryAfter, IDisposable? release)
    {
        IsAcquired = acquired;
        ExceededLimit = exceeded;
        RetryAfter = retryAfter;
        _release = release;
    }

    /// <summary>A lease for a token without limits.</summary>
    public static ClientLimitLease Unlimited { get; } = new(true, null, TimeSpan.Zero, null);

    /// <summary>Whether the request may go.</summary>
    public bool IsAcquired { get; }

    /// <summary>Which limit refused it (<c>requests per minute</c>, <c>requests per day</c>, <c>requests in flight</c>).</summary>
    public string? ExceededLimit { get; }

    /// <summary>How long until the limit lets a request through again (at least one second).</summary>
    public TimeSpan RetryAfter { get; }

    /// <summary>A granted lease; <paramref name="release"/> runs when it ends.</summary>
    public static ClientLimitLease Granted(IDisposable? release) => new(true, null, TimeSpan.Zero, release);

    /// <summary>A refusal.</summary>
    public static ClientLimitLease Refused(string limit, TimeSpan retryAfter) =>
        new(false, limit, retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter, null);

    /// <summary>Ends the lease.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _release?.Dispose();
        }
    }
}
