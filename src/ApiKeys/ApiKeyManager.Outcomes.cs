using ApiKeys.Pool;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    /// <summary>
    /// Applies an outcome to a slot with the pool's rules (<see cref="KeyStatePolicy.Apply"/>), through the environment-fault
    /// guard, and to the slot's project when the transition says so; gathers the events to publish after the lock.
    /// Returns whether a key's availability changed (the store is then told promptly).
    /// </summary>
    private bool ApplyOutcome_NeedsLock(KeySlot slot, KeyOutcome outcome, DateTimeOffset now)
    {
        if (outcome.IsSuccess && KeyStatePolicy.IsCounterOnlySuccess(slot.Blocks, outcome.Model, now, _options))
        {
            // The common case: only the counters change. Count it without making a new state.
            slot.AddSuccess(now);
            MarkDirty_NeedsLock(slot);
            return false;
        }

        var before = slot.State;
        List<EnvironmentFaultGuard.Entry>? undo = null;
        double jitter = outcome.Failure is null ? 0.5 : _random.NextDouble();
        var t = KeyStatePolicy.Apply(before, outcome, now, _options, jitter);

        // The guard counts failures that would take a key out (a strike below the threshold takes none out).
        if (_options.EnvironmentFaultGuard && outcome.Failure is { } failure && !outcome.IsExcused
            && t.Effect is KeyEffect.Cooling or KeyEffect.ModelCooling or KeyEffect.ModelDisabled or KeyEffect.Disabled)
        {
            bool excuse = _guard.IsTripped(failure.Kind, now);
            if (!excuse && (undo = _guard.Record(outcome, slot, before, now, _default.Ring, _options)) is not null)
            {
                excuse = true;
                Notices_NeedsLock().AddEnvironmentFault(failure.Kind, undo.Select(e => e.Slot.Key.Id).Distinct().Count(), _guard.BackOffUntil!.Value);
            }

            if (excuse)
            {
                outcome = KeyOutcome.Excused(failure, outcome.Model);
                t = KeyStatePolicy.Apply(before, outcome, now, _options, jitter);
            }
        }

        SetState_NeedsLock(slot, t.State, before, now);
        bool transition = !before.SameBlocks(t.State);

        if (KeyNotices.TakesOut(t.Effect) || t.Alert || t.State.Failures >= _options.AlertAfterConsecutiveFailures)
        {
            Notices_NeedsLock().AddOutcome(slot.Key.Id, slot.Mask, before, t, outcome, now, _options.AlertAfterConsecutiveFailures);
        }

        if (t.ProjectWide)
        {
            ApplyToProject_NeedsLock(slot, t, outcome.Failure!.Kind, now);
        }

        if (undo is not null)
        {
            transition |= Excuse_NeedsLock(undo, slot, now);
        }

        return transition;
    }

    /// <summary>Cools or disables every other key of <paramref name="slot"/>'s project as <paramref name="t"/> says.</summary>
    private void ApplyToProject_NeedsLock(KeySlot slot, KeyTransition t, FailureKind kind, DateTimeOffset now)
    {
        if (slot.Project is not { } project || !_byProject.TryGetValue(project, out var siblings))
        {
            return;
        }

        foreach (var sibling in siblings)
        {
            if (sibling == slot)
            {
                continue;
            }

            var sb = sibling.State;
            var changed = KeyStatePolicy.ApplyToProjectSibling(sb, t, kind, now);
            if (!ReferenceEquals(changed, sb))
            {
                SetState_NeedsLock(sibling, changed, sb, now);
                Notices_NeedsLock().AddProjectSibling(sibling.Key.Id, sibling.Mask, changed, t, kind, project, now);
            }
        }
    }

    /// <summary>
    /// The guard tripped: the failures it counted are excused after the fact. Their strikes and escalation are undone; a
    /// cooldown the server asked for stays (the policy keeps it for excused failures). Returns whether any state changed.
    /// </summary>
    private bool Excuse_NeedsLock(List<EnvironmentFaultGuard.Entry> undo, KeySlot slot, DateTimeOffset now)
    {
        bool changed = false;
        foreach (var entry in undo)
        {
            var current = entry.Slot.State;
            if (entry.Slot == slot || entry.Slot.Removed || current.UpdatedAt != entry.At)
            {
                continue;
            }

            var excused = KeyStatePolicy.Apply(entry.Before, KeyOutcome.Excused(entry.Failure, entry.Model), entry.At, _options, 0.5).State;
            var restored = excused with
            {
                TotalSuccesses = current.TotalSuccesses,
                TotalFailures = current.TotalFailures,
                LastUsed = current.LastUsed,
                LastFailed = current.LastFailed,
                LastError = current.LastError,
                UpdatedAt = now,
            };
            SetState_NeedsLock(entry.Slot, restored, current, now);
            changed = true;
        }

        return changed;
    }

}
