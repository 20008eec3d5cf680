using System.Net;
using System.Threading.RateLimiting;

namespace ApiKeys.Gateway.Admin.Auth;

/// <summary>
/// Sign-in attempts allowed, per client address and for everyone together, in fixed one-minute windows
/// (System.Threading.RateLimiting): a guess costs a permit whether it succeeds or not, so a password cannot be tried
/// faster than <see cref="AdminOptions.SignInAttemptsPerMinute"/> a minute from one address.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly PartitionedRateLimiter<IPAddress> _perAddress;
    private readonly FixedWindowRateLimiter _global;

    public SignInThrottle(AdminOptions options)
    {
        _perAddress = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetFixedWindowLimiter(address,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInAttemptsPerMinute, Window = Window, QueueLimit = 0 }));
        _global = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.SignInAttemptsPerMinuteGlobal,
            Window = Window,
            QueueLimit = 0,
        });
    }

    /// <summary>Takes a permit for one attempt from <paramref name="address"/>; false with when to try again when none is left.</summary>
    public bool TryAttempt(IPAddress? address, out TimeSpan retryAfter)
    {
        using var local = _perAddress.AttemptAcquire(address ?? IPAddress.None);
        if (!local.IsAcquired)
        {
            retryAfter = RetryAfter(local);
            return false;
        }

        using var global = _global.AttemptAcquire();
        retryAfter = global.IsAcquired ? TimeSpan.Zero : RetryAfter(global);
        return global.IsAcquired;
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _global.Dispose();
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) => lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window;
}
