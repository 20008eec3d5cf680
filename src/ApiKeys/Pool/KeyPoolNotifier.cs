using System.Diagnostics.CodeAnalysis;
using ApiKeys.Diagnostics;
using ApiKeys.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApiKeys.Pool;

/// <summary>
/// What follows a pool's transitions, the same from every backend: the <c>KeyChanged</c> and <c>Alert</c> events, the log lines
/// (ids in <see cref="ApiKeysEventIds"/>) and the <c>ApiKeys</c> meter (<see cref="ApiKeysMetrics"/>). A pool owns one, gathers
/// <see cref="KeyNotices"/> under its lock and calls <see cref="Publish"/> once every lock is released: handlers and loggers
/// are user code, and may call back into the pool.
/// </summary>
/// <remarks>Thread-safe. Disposing it stops counting the pool's keys in the <c>apikeys.keys</c> gauge.</remarks>
public sealed partial class KeyPoolNotifier : IDisposable
{
    private readonly object _sender;
    private readonly ILogger _logger;
    private SecretRedactor _redactor = SecretRedactor.Default;
    private Func<IReadOnlyList<KeyStatus>>? _statuses;

    /// <summary>A notifier for one pool.</summary>
    /// <param name="sender">The pool: the sender of its events.</param>
    /// <param name="logger">The pool's logger; null for none.</param>
    public KeyPoolNotifier(object sender, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(sender);
        _sender = sender;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Raised for every change of a key's availability. Called outside the pool's locks.</summary>
    public event EventHandler<KeyEventArgs>? KeyChanged;

    /// <summary>Raised when a key needs attention (consecutive failures, a leaked key). Called outside the pool's locks.</summary>
    public event EventHandler<KeyAlertEventArgs>? Alert;

    /// <summary>Masks what the log lines quote (the pool's keys of any shape, and every key-shaped token).</summary>
    /// <value>The default is <see cref="SecretRedactor.Default"/>; the pool sets its own when its keys change.</value>
    public SecretRedactor Redactor
    {
        get => Volatile.Read(ref _redactor);
        set => Volatile.Write(ref _redactor, value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>Counts the pool's keys by state in the <c>apikeys.keys</c> gauge, read from <paramref name="statuses"/> when the meter is collected, until disposed.</summary>
    /// <param name="statuses">The pool's statuses (called on the collecting thread; an exception skips the pool for that collection).</param>
    public void ObserveKeys(Func<IReadOnlyList<KeyStatus>> statuses)
    {
        ArgumentNullException.ThrowIfNull(statuses);
        Volatile.Write(ref _statuses, statuses);
        ApiKeysMetrics.Register(this);
    }

    /// <summary>Counts an acquisition in <c>apikeys.acquisitions</c>: a key handed out, or none found.</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Every pool records through its own notifier: per-pool tags can come without an API change.")]
    public void RecordAcquisition(bool found) => ApiKeysMetrics.Acquired(found);

    /// <summary>Counts an outcome in <c>apikeys.outcomes</c>, by kind.</summary>
    [SuppressMessage("Performance", "CA1822:Mark members as static", Justification = "Every pool records through its own notifier: per-pool tags can come without an API change.")]
    public void RecordOutcome(KeyOutcome outcome) => ApiKeysMetrics.Outcome(outcome);

    /// <summary>Logs and raises what was gathered, in order. Call it with no lock held.</summary>
    /// <param name="notices">The batch; null or empty: nothing to do.</param>
    public void Publish(KeyNotices? notices)
    {
        if (notices is null)
        {
            return;
        }

        foreach (var notice in notices.Items)
        {
            PublishOne(notice);
        }
    }

    /// <inheritdoc />
    public void Dispose() => ApiKeysMetrics.Unregister(this);

    internal IReadOnlyList<KeyStatus> ObservedStatuses()
    {
        try
        {
            return Volatile.Read(ref _statuses)?.Invoke() ?? [];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A pool disposed meanwhile, or a backend that cannot answer now (Redis down): no figures from it this time.
            return [];
        }
    }

    private void PublishOne(KeyNotice notice)
    {
        switch (notice.Kind)
        {
            case KeyNoticeKind.KeyChanged:
                var change = (KeyEventArgs)notice.Args!;
                LogChange(change);
                Raise(KeyChanged, change);
                break;
            case KeyNoticeKind.Alert:
                var alert = (KeyAlertEventArgs)notice.Args!;
                if (alert.IsStrikeAlert)
                {
                    Log.ConsecutiveFailures(_logger, alert.Mask, alert.ConsecutiveFailures, alert.LastError?.Kind.ToString() ?? "unknown");
                }
                else
                {
                    Log.KeyAlert(_logger, alert.Mask, Redactor.Redact(alert.Reason));
                }

                Raise(Alert, alert);
                break;
            case KeyNoticeKind.EnvironmentFault:
                Log.EnvironmentFault(_logger, notice.Count, notice.Failure.ToString(), notice.At);
                break;
            case KeyNoticeKind.StoreSaveFailed:
                Log.StoreSaveFailed(_logger, notice.Text!, Redactor.Redact(notice.Reason!), notice.Path!);
                break;
            case KeyNoticeKind.StoreSaveRecovered:
                Log.StoreSaveRecovered(_logger, notice.Path!);
                break;
        }
    }

    private void LogChange(KeyEventArgs e)
    {
        string reason = Redactor.Redact(e.Reason ?? e.Failure?.ToString() ?? e.Kind.ToString());
        string scope = e.Model is null ? "" : $" for model {e.Model}";
        var until = e.Until ?? default;
        switch (e.Kind)
        {
            case KeyEventKind.Cooling when e.Model is null:
                Log.KeyBlocked(_logger, e.Mask, until, reason);
                break;
            case KeyEventKind.Cooling:
                Log.KeyModelBlocked(_logger, e.Mask, e.Model!, until, reason);
                break;
            case KeyEventKind.Disabled:
                Log.KeyDisabled(_logger, e.Mask, scope, reason);
                break;
            case KeyEventKind.Restored:
                Log.KeyRestored(_logger, e.Mask, scope);
                break;
            case KeyEventKind.Enabled:
                Log.KeyEnabled(_logger, e.Mask, reason);
                break;
        }
    }

    private void Raise<T>(EventHandler<T>? handler, T args)
        where T : EventArgs
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(_sender, args);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.HandlerFailed(_logger, Redactor.Redact(e.Message));
        }
    }
}
