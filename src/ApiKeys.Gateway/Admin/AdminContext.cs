using ApiKeys.Gateway.Admin.Auth;
using ApiKeys.Gateway.Hosting;
using ApiKeys.Http.Validation;
using ApiKeys.Usage;

namespace ApiKeys.Gateway.Admin;

/// <summary>
/// What the dashboard's pages work with: the gateway's pool and tokens, the usage statistics (read-only; the fleet's sums
/// from Redis when the gateway runs on Redis), the password, the sessions and the sign-in throttle, and a validator that
/// checks keys without spending quota against the gateway's upstream.
/// </summary>
internal sealed class AdminContext : IDisposable
{
    private readonly Lazy<UsageReader> _usage;

    public AdminContext(GatewayBackend backend, GatewayOptions gateway, AdminOptions options, UsageStoreOptions usage, TimeProvider time, ILogger<AdminContext> logger)
    {
        Backend = backend;
        Options = options;
        Time = time;
        Logger = logger;
        Upstream = gateway.UpstreamUri;
        Passwords = backend.Redis is { } redis ? new RedisAdminPassword(redis, gateway.RedisPool) : new AdminPasswordFile(backend.Directory);
        Sessions = new AdminSessions(options, time);
        Throttle = new SignInThrottle(options);
        _usage = new(() => new UsageReader(backend.Directory,
            backend.Redis is { } r && usage.Enabled ? new RedisUsageAggregates(r, gateway.RedisPool, usage.AggregateRetention) : null, usage));
        Validator = new KeyValidator(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, timeProvider: time);
    }

    public GatewayBackend Backend { get; }

    public IKeyPool Pool => Backend.Pool;

    /// <summary>The pool's options (thresholds for the overview's warnings).</summary>
    public ApiKeyManagerOptions PoolOptions => Backend.Pool switch
    {
        ApiKeyManager manager => manager.Options,
        ApiKeys.Redis.RedisKeyPool redis => redis.Options,
        _ => new ApiKeyManagerOptions(),
    };

    public AdminOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public Uri Upstream { get; }

    public IAdminPasswordStore Passwords { get; }

    public AdminSessions Sessions { get; }

    public SignInThrottle Throttle { get; }

    /// <summary>The usage statistics (opened at first use: the file exists once the gateway has started).</summary>
    public UsageReader Usage => _usage.Value;

    public KeyValidator Validator { get; }

    public void Dispose()
    {
        Throttle.Dispose();
        Validator.Dispose();
        if (_usage.IsValueCreated)
        {
            _usage.Value.Dispose();
        }
    }
}
