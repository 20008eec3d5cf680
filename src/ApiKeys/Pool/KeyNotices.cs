namespace ApiKeys.Pool;

/// <summary>
/// What a pool's transitions call for (key events, alerts, the environment-fault guard tripping, store problems), gathered
/// while the pool holds its lock and published by <see cref="KeyPoolNotifier.Publish"/> after every lock is released, so no
/// event handler or logger runs under a lock. The rules for which transition raises which event live here, once for every backend.
/// </summary>
/// <remarks>Not thread-safe: the caller holds the pool's lock while adding, and hands the batch on once.</remarks>
public sealed class KeyNotices
{
    private readonly List<KeyNotice> _items = [];

    /// <summary>How many notices are gathered.</summary>
    public int Count => _items.Count;

    internal List<KeyNotice> Items => _items;

    /// <summary>A change of a key's availability: raised as <c>KeyChanged</c> and logged.</summary>
    public void AddKeyChanged(KeyEventArgs change)
    {
        ArgumentNullException.ThrowIfNull(change);
        _items.Add(new KeyNotice(KeyNoticeKind.KeyChanged, change));
    }

    /// <summary>An alert: raised as <c>Alert</c> and logged.</summary>
    public void AddAlert(KeyAlertEventArgs alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        _items.Add(new KeyNotice(KeyNoticeKind.Alert, alert));
    }

    /// <summary>The environment-fault guard tripped: <paramref name="keys"/> keys failed with <paramref name="kind"/> at once; callers back off until <paramref name="until"/>.</summary>
    public void AddEnvironmentFault(FailureKind kind, int keys, DateTimeOffset until) =>
        _items.Add(new KeyNotice(KeyNoticeKind.EnvironmentFault, Failure: kind, Count: keys, At: until));

    /// <summary>A store write failed (<paramref name="what"/>: "keys" or "key states"); the change stays in memory and is retried.</summary>
    /// <param name="what">What was being saved.</param>
    /// <param name="reason">Why, redacted.</param>
    /// <param name="path">The file or store.</param>
    public void AddStoreSaveFailed(string what, string reason, string path) =>
        _items.Add(new KeyNotice(KeyNoticeKind.StoreSaveFailed, Text: what, Reason: reason, Path: path));

    /// <summary>The store can be written again after a failed write.</summary>
    public void AddStoreSaveRecovered(string path) => _items.Add(new KeyNotice(KeyNoticeKind.StoreSaveRecovered, Path: path));

    /// <summary>
    /// What follows an outcome applied to one key (<see cref="KeyStatePolicy.Apply"/>): <c>Cooling</c> or <c>Disabled</c> when the
    /// transition took the key (or key x model) out, and an alert when it calls for one or the key just reached
    /// <paramref name="alertAfterConsecutiveFailures"/> consecutive failures.
    /// </summary>
    /// <param name="keyId">The key's id.</param>
    /// <param name="mask">The masked key (its id when this process does not hold the secret).</param>
    /// <param name="before">The key's state before the outcome.</param>
    /// <param name="transition">What the outcome did.</param>
    /// <param name="outcome">The outcome as applied (excused by the guard, if it was).</param>
    /// <param name="now">The time of the outcome.</param>
    /// <param name="alertAfterConsecutiveFailures">The pool's <see cref="ApiKeyManagerOptions.AlertAfterConsecutiveFailures"/>.</param>
    public void AddOutcome(string keyId, string mask, KeyState before, KeyTransition transition, KeyOutcome outcome, DateTimeOffset now,
        int alertAfterConsecutiveFailures)
    {
        ArgumentNullException.ThrowIfNull(before);
        var state = transition.State;
        if (outcome.Failure is { } failure && KeyStatePolicy.TakesOut(transition.Effect))
        {
            var kind = transition.Effect is KeyEffect.Cooling or KeyEffect.ModelCooling ? KeyEventKind.Cooling : KeyEventKind.Disabled;
            string? reason = kind == KeyEventKind.Disabled ? state.DisabledReason ?? failure.Message : Describe(state, failure);
            AddKeyChanged(new KeyEventArgs(kind, keyId, mask, now, failure.Kind, transition.Until, transition.Model, reason));
        }

        if (transition.Alert || (state.Failures >= alertAfterConsecutiveFailures && before.Failures < alertAfterConsecutiveFailures))
        {
            AddAlert(new KeyAlertEventArgs(keyId, mask, state.Failures, state.LastError, transition.Alert ? state.DisabledReason : null));
        }
    }

    /// <summary>Another key of the project was cooled or disabled with the key that failed (<see cref="KeyStatePolicy.ApplyToProjectSibling"/>).</summary>
    /// <param name="keyId">The sibling's id.</param>
    /// <param name="mask">The sibling's mask (its id when this process does not hold the secret).</param>
    /// <param name="after">The sibling's new state.</param>
    /// <param name="transition">The transition of the key that failed.</param>
    /// <param name="kind">The failure's kind.</param>
    /// <param name="project">The project.</param>
    /// <param name="now">The time.</param>
    public void AddProjectSibling(string keyId, string mask, KeyState after, KeyTransition transition, FailureKind kind, string project, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(after);
        bool disabled = transition.Effect == KeyEffect.Disabled;
        AddKeyChanged(new KeyEventArgs(disabled ? KeyEventKind.Disabled : KeyEventKind.Cooling, keyId, mask, now, kind, transition.Until,
            transition.Model, disabled ? after.DisabledReason : $"project {project} is limited"));
    }

    /// <summary>Moves every notice of <paramref name="other"/> to the end of this batch.</summary>
    public void MoveFrom(KeyNotices other)
    {
        ArgumentNullException.ThrowIfNull(other);
        _items.AddRange(other._items);
        other._items.Clear();
    }

    private static string Describe(KeyState state, KeyFailure failure)
    {
        if (failure.Kind == FailureKind.RateLimited)
        {
            return failure.Scope switch
            {
                RateLimitScope.Day => "daily quota exhausted",
                RateLimitScope.Minute => "per-minute quota exhausted",
                _ => "rate limited",
            };
        }

        return failure.Kind == FailureKind.Billing
            ? "billing: credit used up"
            : $"{state.Failures} consecutive failures";
    }
}
