using ApiKeys.Gateway.Hosting;
using ApiKeys.Gateway.Logging;
using ApiKeys.Gateway.Metrics;
using ApiKeys.Pool;
using ApiKeys.Redis;
using ApiKeys.Usage;

namespace ApiKeys.Gateway.Usage;

/// <summary>
/// The gateway's usage statistics: the <see cref="UsageStore"/> in the store directory (its aggregates also in Redis when
/// the gateway runs on Redis, so a fleet adds up; the request log stays per gateway), fed by <see cref="UsageObserver"/>,
/// and each key's transitions from the pool's <c>KeyChanged</c> event (history and metrics). Disposed at shutdown, after
/// the requests in flight: what is waiting is written then.
/// </summary>
internal sealed class GatewayUsage : IDisposable
{
    private readonly GatewayBackend _backend;
    private readonly GatewayMetrics _metrics;
    private readonly LogRedactor _redactor;

    public GatewayUsage(GatewayBackend backend, GatewayOptions gateway, UsageStoreOptions options, GatewayMetrics metrics, LogRedactor redactor,
        ILoggerFactory loggers, TimeProvider time)
    {
        _backend = backend;
        _metrics = metrics;
        _redactor = redactor;
        var shared = backend.Redis is { } redis && options.Enabled ? new RedisUsageAggregates(redis, gateway.RedisPool, options.AggregateRetention) : null;
        Store = new UsageStore(backend.Directory, options, shared, loggers.CreateLogger<UsageStore>(), time);
        switch (backend.Pool)
        {
            case ApiKeyManager manager:
                manager.KeyChanged += OnKeyChanged;
                break;
            case RedisKeyPool pool:
                pool.KeyChanged += OnKeyChanged;
                break;
        }
    }

    public UsageStore Store { get; }

    public void Dispose()
    {
        switch (_backend.Pool)
        {
            case ApiKeyManager manager:
                manager.KeyChanged -= OnKeyChanged;
                break;
            case RedisKeyPool pool:
                pool.KeyChanged -= OnKeyChanged;
                break;
        }

        Store.Dispose();
    }

    private void OnKeyChanged(object? sender, KeyEventArgs e)
    {
        _metrics.KeyChanged(e);
        Store.RecordKeyChange(e, _redactor.Redact);
    }
}
