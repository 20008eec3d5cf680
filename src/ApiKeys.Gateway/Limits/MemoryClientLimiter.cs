using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using ApiKeys.Gateway.Tokens;

namespace ApiKeys.Gateway.Limits;

/// <summary>
/// Client limits in this process, with System.Threading.RateLimiting: a <see cref="ConcurrencyLimiter"/> for requests in
/// flight and <see cref="FixedWindowRateLimiter"/>s of one minute and one day. The concurrency permit is taken first
/// (it comes back when refused elsewhere), then the minute's, then the day's, so a refusal spends as little as it can.
/// </summary>
public sealed class MemoryClientLimiter : IClientLimiter, IDisposable
{
    private readonly ConcurrentDictionary<string, TokenLimiters> _byToken = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<ClientLimitLease> AcquireAsync(ClientToken token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (!token.HasLimits)
        {
            return ValueTask.FromResult(ClientLimitLease.Unlimited);
        }

        // The HMAC names the partition: a token revoked and created again under the same name starts afresh.
        var limiters = _byToken.GetOrAdd(token.Hash, static (_, t) => new TokenLimiters(t), token);
        return ValueTask.FromResult(limiters.Acquire());
    }

    /// <summary>Releases the limiters' timers.</summary>
    public void Dispose()
    {
        foreach (var limiters in _byToken.Values)
        {
            limiters.Dispose();
        }

        _byToken.Clear();
    }

    private sealed class TokenLimiters : IDisposable
    {
        private readonly ConcurrencyLimiter? _inFlight;
        private readonly FixedWindowRateLimiter? _minute;
        private readonly FixedWindowRateLimiter? _day;

        public TokenLimiters(ClientToken token)
        {
            _inFlight = token.MaxConcurrency is { } c ? new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = c, QueueLimit = 0 }) : null;
            _minute = token.RequestsPerMinute is { } m ? Window(m, TimeSpan.FromMinutes(1)) : null;
            _day = token.RequestsPerDay is { } d ? Window(d, TimeSpan.FromDays(1)) : null;
        }

        public ClientLimitLease Acquire()
        {
            var held = _inFlight?.AttemptAcquire();
            if (held is { IsAcquired: false })
            {
                held.Dispose();
                return ClientLimitLease.Refused(ClientLimitNames.InFlight, TimeSpan.FromSeconds(1));
            }

            foreach (var (limiter, name) in new[] { (_minute, ClientLimitNames.PerMinute), (_day, ClientLimitNames.PerDay) })
            {
                if (limiter is null)
                {
                    continue;
                }

                using var lease = limiter.AttemptAcquire();
                if (!lease.IsAcquired)
                {
                    held?.Dispose();
                    var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : TimeSpan.FromSeconds(1);
                    return ClientLimitLease.Refused(name, wait);
                }
            }

            return ClientLimitLease.Granted(held);
        }

        public void Dispose()
        {
            _inFlight?.Dispose();
            _minute?.Dispose();
            _day?.Dispose();
        }

        private static FixedWindowRateLimiter Window(int permits, TimeSpan window) => new(new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
