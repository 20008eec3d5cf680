using ApiKeys.Pool;
using StackExchange.Redis;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    /// <summary>Records a validation that spent no quota: a valid key comes back for every process; an invalid one gets <paramref name="failure"/>.</summary>
    /// <returns>False when this process holds no such key (given as the secret or its id).</returns>
    /// <exception cref="RedisKeyPoolUnavailableException">Redis is unreachable.</exception>
    public bool Revalidated(string key, bool valid, KeyFailure? failure = null)
    {
        var id = ResolveId(key);
        if (id is null)
        {
            return false;
        }

        if (valid)
        {
            Change(id, (state, now) => KeyStatePolicy.Revalidated(state, valid: true, now), leaseId: null);
            Enabled(id, "revalidated");
        }
        else if (failure is not null)
        {
            Apply(id, KeyOutcome.Failed(failure), leaseId: null);
        }

        return true;
    }

    /// <summary>Clears a key's failures, cooldowns and disables for every process (its totals stay).</summary>
    /// <returns>False when this process holds no such key.</returns>
    /// <exception cref="RedisKeyPoolUnavailableException">Redis is unreachable.</exception>
    public bool Reset(string key)
    {
        var id = ResolveId(key);
        if (id is null)
        {
            return false;
        }

        Change(id, (state, now) => KeyStatePolicy.Reset(state, now), leaseId: null);
        Enabled(id, "reset");
        return true;
    }

    /// <summary>Reports an outcome for a key without a lease (the seed's <c>update_key_status</c>).</summary>
    /// <returns>False when this process holds no such key.</returns>
    /// <exception cref="RedisKeyPoolUnavailableException">Redis is unreachable.</exception>
    public bool Report(string key, KeyOutcome outcome)
    {
        var id = ResolveId(key);
        if (id is null)
        {
            return false;
        }

        Apply(id, outcome, leaseId: null);
        return true;
    }

    /// <summary>
    /// Applies an outcome with the pool's rules; a project-wide cooldown reaches the key's siblings before this returns. The
    /// events, logs and metrics are the local pool's (<see cref="KeyNotices.AddOutcome"/>), published once Redis has answered.
    /// </summary>
    internal RedisWriteStatus Apply(string id, KeyOutcome outcome, long? leaseId)
    {
        if (outcome.Failure is { Message: not null })
        {
            outcome = outcome.RedactedWith(Redactor);
        }

        if (outcome.IsSuccess && leaseId is { } lease && SucceedPlain(id, lease) is { } counted)
        {
            _notifier.RecordOutcome(outcome);
            return counted;
        }

        return WriteOutcome(id, outcome, leaseId);
    }

    /// <summary>An outcome a plain success cannot count: a compare-and-set of the key's state with the pool's rules.</summary>
    private RedisWriteStatus WriteOutcome(string id, KeyOutcome outcome, long? leaseId)
    {
        KeyTransition transition = default;
        var before = KeyState.Empty;
        DateTimeOffset at = default;
        var applied = outcome;
        GuardVerdict? verdict = null;
        var status = Change(id, (state, now) =>
        {
            (before, at) = (state, now);
            double jitter = outcome.Failure is null ? 0.5 : NextJitter();
            transition = KeyStatePolicy.Apply(state, outcome, now, _options, jitter);
            // The guard hears of a failure once: a write retried on a newer state replaces its entry (the time an excuse
            // after the fact checks is the write's), unless the guard already said excuse.
            if (verdict is not { Excuse: true })
            {
                verdict = ThroughGuard(id, state, outcome, transition, now, verdict?.Entry) ?? verdict;
            }

            if (verdict is { Excuse: true })
            {
                applied = KeyOutcome.Excused(outcome.Failure!, outcome.Model);
                transition = KeyStatePolicy.Apply(state, applied, now, _options, jitter);
            }

            return transition.State;
        }, leaseId);

        _notifier.RecordOutcome(outcome);
        if (status != RedisWriteStatus.Applied || outcome.Failure is not { } failure)
        {
            return status;
        }

        var notices = new KeyNotices();
        notices.AddOutcome(id, MaskOf(id), before, transition, applied, at, _options.AlertAfterConsecutiveFailures);
        if (verdict is { Entries.Count: > 0 })
        {
            notices.AddEnvironmentFault(verdict.Kind, Excuse(verdict, id), verdict.Until);
        }

        if (transition.ProjectWide)
        {
            ApplyToProject(id, transition, failure.Kind, notices, leaseId);
        }

        _notifier.Publish(notices);
        return status;
    }

    private void ApplyToProject(string id, KeyTransition transition, FailureKind kind, KeyNotices notices, long? leaseId)
    {
        try
        {
            ApplyToProject(id, transition, kind, notices);
        }
        catch (RedisKeyPoolUnavailableException e)
        {
            // The key's own outcome is in Redis: report it applied (a fallback must not apply it a second time);
            // only the siblings' cooldown is lost, and they will earn their own 429s.
            Log.ReportLost(_logger, id, leaseId ?? 0, e.InnerException?.GetType().Name ?? "project cooldown");
        }
    }

    /// <summary>Cools or disables every other key of the key's project (configured here, registered by any process, or learned from an error).</summary>
    private void ApplyToProject(string id, KeyTransition transition, FailureKind kind, KeyNotices notices)
    {
        string? project = (_slotById.TryGetValue(id, out int slot) ? _keys[slot].Project : null) ?? transition.State.LearnedProject;
        if (project is null)
        {
            return;
        }

        var db = _redis.GetDatabase();
        RedisValue[] members;
        try
        {
            db.SetAdd(_names.Project(project), id);
            members = db.SetMembers(_names.Project(project));
        }
        catch (Exception e) when (IsOutage(e))
        {
            throw Unavailable("project cooldown", e);
        }

        var siblings = new HashSet<string>(members.Select(m => (string)m!), StringComparer.Ordinal);
        siblings.UnionWith(_keys.Where(k => string.Equals(k.Project, project, StringComparison.Ordinal)).Select(k => k.Id));
        siblings.Remove(id);
        foreach (var sibling in siblings.Order(StringComparer.Ordinal))
        {
            KeyState? changed = null;
            DateTimeOffset at = default;
            var status = Change(sibling, (state, now) =>
            {
                var after = KeyStatePolicy.ApplyToProjectSibling(state, transition, kind, now);
                (changed, at) = (ReferenceEquals(after, state) ? null : after, now);
                return after;
            }, leaseId: null);
            if (status == RedisWriteStatus.Applied && changed is not null)
            {
                notices.AddProjectSibling(sibling, MaskOf(sibling), changed, transition, kind, project, at);
            }
        }
    }

    private void Enabled(string id, string why)
    {
        var notices = new KeyNotices();
        notices.AddKeyChanged(new KeyEventArgs(KeyEventKind.Enabled, id, MaskOf(id), RedisNow(), reason: why));
        _notifier.Publish(notices);
    }

    private string MaskOf(string id) => _slotById.TryGetValue(id, out int slot) ? _keys[slot].Mask : id;
}
