using ApiKeys.Diagnostics;
using ApiKeys.Http.Validation;
using ApiKeys.Pool;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ApiKeys.Http.Hosting;

/// <summary>
/// Validates, on a schedule, the keys that do not come back by themselves: disabled ones (invalid, suspended; not those
/// disabled by hand) and those blocked for a model until revalidated. A valid key is usable again.
/// </summary>
public sealed partial class KeyRevalidationService : BackgroundService
{
    private readonly IKeyPool _pool;
    private readonly KeyValidator _validator;
    private readonly KeyRevalidationOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Creates the service.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="httpClientFactory">Makes the client for the validation calls (named <see cref="HttpClientName"/>).</param>
    /// <param name="options">The options.</param>
    /// <param name="timeProvider">The clock; null for the system clock.</param>
    /// <param name="logger">A logger; null for none.</param>
    /// <exception cref="OptionsValidationException">An option is out of range.</exception>
    public KeyRevalidationService(IKeyPool pool, IHttpClientFactory httpClientFactory, IOptions<KeyRevalidationOptions> options,
        TimeProvider? timeProvider = null, ILogger<KeyRevalidationService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        ArgumentNullException.ThrowIfNull(options);
        _pool = pool;
        _options = options.Value;
        _options.Validate();
        _time = timeProvider ?? TimeProvider.System;
        _validator = new KeyValidator(httpClientFactory.CreateClient(HttpClientName), timeProvider: _time);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The name of the HttpClient the validation calls use (it has no key rotation of its own).</summary>
    public const string HttpClientName = "ApiKeys.Revalidation";

    /// <summary>Validates every key due for revalidation once, now.</summary>
    /// <returns>The results.</returns>
    public async Task<IReadOnlyList<KeyValidationResult>> RevalidateOnceAsync(CancellationToken cancellationToken = default)
    {
        var due = _pool.GetStatuses()
            .Where(s => s.Availability == KeyAvailability.Disabled
                || (_options.IncludeModelBlocked && s.Availability != KeyAvailability.DisabledByHand && s.BlockedModels.Values.Any(b => b.Until is null)))
            .Select(s => s.Id)
            .ToList();
        if (due.Count == 0)
        {
            return [];
        }

        var results = await _validator.ValidateAsync(_pool, due, _options.BaseUrl, progress: null, cancellationToken).ConfigureAwait(false);
        foreach (var r in results)
        {
            Log.Revalidated(_logger, r.KeyId, r.Mask, r.Outcome);
        }

        return results;
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _validator.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.Interval, _time);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await RevalidateOnceAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                Log.RevalidationFailed(_logger, ex.GetType().Name, _pool.Redactor.Redact(ex.Message));
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = ApiKeysEventIds.KeyRevalidated, EventName = "KeyRevalidated", Level = LogLevel.Information, Message = "Revalidated key {KeyId} ({KeyMask}): {Outcome}")]
        public static partial void Revalidated(ILogger logger, string keyId, string keyMask, KeyValidationOutcome outcome);

        [LoggerMessage(EventId = ApiKeysEventIds.RevalidationFailed, EventName = "RevalidationFailed", Level = LogLevel.Warning, Message = "Key revalidation failed: {Error}: {Message}")]
        public static partial void RevalidationFailed(ILogger logger, string error, string message);
    }
}
