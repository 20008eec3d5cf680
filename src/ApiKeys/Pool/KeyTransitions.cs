namespace ApiKeys.Pool;

/// <summary>
/// Every change of a key's state, with the pool's rules (<see cref="KeyStatePolicy"/>): outcomes through the
/// environment-fault guard and to the key's project, request limits reached, changes by hand. Each change keeps the lanes,
/// the project index and the store's dirty list right, and gathers what it calls for in the pending notices.
/// </summary>
/// <remarks>Not thread-safe: the caller holds the pool's lock.</remarks>
internal sealed class KeyTransitions(KeyTable table, KeyLanes lanes, DirtySlots dirty, EnvironmentFaultGuard guard,
    ApiKeyManagerOptions options, Random random, PendingNotices notices)
{
    /// <summary>
    /// Applies an outcome to a key, through the guard, and to its project when the transition says so. Returns whether a
    /// key's availability changed (the store is then told promptly).
    /// </summary>
    public bool Apply(KeySlot slot, KeyOutcome outcome, DateTimeOffset now)
    {
        if (outcome.IsSuccess && KeyStatePolicy.IsCounterOnlySuccess(slot.Blocks, outcome.Model, now, options))
        {
            // The common case: only the counters change. Count it without making a new state.
            slot.AddSuccess(now);
            dirty.Mark(slot);
            return false;
        }

        var before = slot.State;
        double jitter = outcome.Failure is null ? 0.5 : random.NextDouble();
        var t = KeyStatePolicy.Apply(before, outcome, now, options, jitter);
        var undo = ThroughGuard(slot, before, ref outcome, ref t, now, jitter);
        Set(slot, t.State, before, now);
        bool changed = !before.SameBlocks(t.State);
        if (KeyStatePolicy.TakesOut(t.Effect) || t.Alert || t.State.Failures >= options.AlertAfterConsecutiveFailures)
        {
            notices.Batch.AddOutcome(slot.Key.Id, slot.Mask, before, t, outcome, now, options.AlertAfterConsecutiveFailures);
        }

        if (t.ProjectWide)
        {
            ApplyToProject(slot, t, outcome.Failure!.Kind, now);
        }

        return undo is not null ? Excuse(undo, slot, now) | changed : changed;
    }

    /// <summary>A request limit was reached: the key (or key x model) cools until <paramref name="until"/>.</summary>
    public void LimitReached(KeySlot slot, string? model, DateTimeOffset until, DateTimeOffset now)
    {
        var before = slot.State;
        var after = KeyStatePolicy.ApplyProjectCooldown(before, model, until, FailureKind.RateLimited, now);
        if (!ReferenceEquals(before, after))
        {
            Set(slot, after, before, now);
            notices.Batch.AddKeyChanged(new KeyEventArgs(KeyEventKind.Cooling, slot.Key.Id, slot.Mask, now, FailureKind.RateLimited, until, model,
                "request limit reached"));
        }
    }

    /// <summary>A change by hand (enable, reset, revalidated), announced as <paramref name="kind"/> with <paramref name="reason"/>.</summary>
    public void Change(KeySlot slot, Func<KeyState, DateTimeOffset, KeyState> change, KeyEventKind kind, string reason, DateTimeOffset now)
    {
        var before = slot.State;
        var after = change(before, now);
        if (!ReferenceEquals(before, after))
        {
            Set(slot, after, before, now);
        }

        notices.Batch.AddKeyChanged(new KeyEventArgs(kind, slot.Key.Id, slot.Mask, now, reason: reason));
    }

    /// <summary>Sets a key's state, marks it for the store, and moves it between lanes and projects when that changed.</summary>
    public void Set(KeySlot slot, KeyState state, KeyState before, DateTimeOffset now)
    {
        slot.State = state;
        dirty.Mark(slot);
        if (!before.SameBlocks(state))
        {
            lanes.Reconcile(slot, now);
        }

        if (slot.Key.Project is null)
        {
            table.MoveProject(slot, before.LearnedProject, state.LearnedProject);
        }
    }

    /// <summary>
    /// The guard counts failures that would take a key out (a strike below the threshold takes none out). When it is tripped,
    /// or this failure trips it, the failure is applied again excused; the entries to excuse after the fact are returned.
    /// </summary>
    private List<EnvironmentFaultGuard.Entry>? ThroughGuard(KeySlot slot, KeyState before, ref KeyOutcome outcome, ref KeyTransition t,
        DateTimeOffset now, double jitter)
    {
        if (!options.EnvironmentFaultGuard || outcome.Failure is not { } failure || outcome.IsExcused || !KeyStatePolicy.TakesOut(t.Effect))
        {
            return null;
        }

        List<EnvironmentFaultGuard.Entry>? undo = null;
        bool excuse = guard.IsTripped(failure.Kind, now);
        if (!excuse && (undo = guard.Record(outcome, slot, before, now, lanes.Usable, options)) is not null)
        {
            excuse = true;
            notices.Batch.AddEnvironmentFault(failure.Kind, undo.Select(e => e.Slot.Key.Id).Distinct().Count(), guard.BackOffUntil!.Value);
        }

        if (excuse)
        {
            outcome = KeyOutcome.Excused(failure, outcome.Model);
            t = KeyStatePolicy.Apply(before, outcome, now, options, jitter);
        }

        return undo;
    }

    /// <summary>Cools or disables every other key of <paramref name="slot"/>'s project as <paramref name="t"/> says.</summary>
    private void ApplyToProject(KeySlot slot, KeyTransition t, FailureKind kind, DateTimeOffset now)
    {
        if (slot.Project is not { } project || table.Project(project) is not { } siblings)
        {
            return;
        }

        foreach (var sibling in siblings.ToArray())
        {
            if (sibling == slot)
            {
                continue;
            }

            var before = sibling.State;
            var changed = KeyStatePolicy.ApplyToProjectSibling(before, t, kind, now);
            if (!ReferenceEquals(changed, before))
            {
                Set(sibling, changed, before, now);
                notices.Batch.AddProjectSibling(sibling.Key.Id, sibling.Mask, changed, t, kind, project, now);
            }
        }
    }

    /// <summary>
    /// The guard tripped: the failures it counted are excused after the fact. Their strikes and escalation are undone; a
    /// cooldown the server asked for stays (the policy keeps it for excused failures). Returns whether any state changed.
    /// </summary>
    private bool Excuse(List<EnvironmentFaultGuard.Entry> undo, KeySlot slot, DateTimeOffset now)
    {
        bool changed = false;
        foreach (var entry in undo)
        {
            var current = entry.Slot.State;
            if (entry.Slot == slot || entry.Slot.Removed || current.UpdatedAt != entry.At)
            {
                continue;
            }

            var excused = KeyStatePolicy.Apply(entry.Before, KeyOutcome.Excused(entry.Failure, entry.Model), entry.At, options, 0.5).State;
            Set(entry.Slot, KeyStatePolicy.RestoreExcused(excused, current, now), current, now);
            changed = true;
        }

        return changed;
    }
}
