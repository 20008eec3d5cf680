namespace ApiKeys.Pool;

/// <summary>The rules beyond one key's own outcome: its project's siblings, revalidation, reset, and merging two processes' states.</summary>
public static partial class KeyStatePolicy
{
    /// <summary>
    /// Applies to another key of the same project what <paramref name="transition"/> (a <see cref="KeyTransition.ProjectWide"/> one)
    /// did to its key: the same cooldown (never shortening one already set), or the same disable (never replacing one already set).
    /// </summary>
    /// <param name="sibling">The other key's state.</param>
    /// <param name="transition">The transition of the key that failed.</param>
    /// <param name="kind">The failure's kind.</param>
    /// <param name="now">The time.</param>
    /// <returns>The sibling's new state, or <paramref name="sibling"/> itself when nothing changes.</returns>
    public static KeyState ApplyToProjectSibling(KeyState sibling, KeyTransition transition, FailureKind kind, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(sibling);
        if (transition.Effect == KeyEffect.Disabled)
        {
            return sibling.DisabledKind is not null || transition.State is not { DisabledKind: { } disabled } failed
                ? sibling
                : sibling with { DisabledKind = disabled, DisabledReason = failed.DisabledReason, DisabledAt = now, UpdatedAt = now };
        }

        return transition.Until is { } until ? ApplyProjectCooldown(sibling, transition.Model, until, kind, now) : sibling;
    }

    /// <summary>Cools <paramref name="state"/> because another key of its project was limited (never shortens a cooldown already set).</summary>
    public static KeyState ApplyProjectCooldown(KeyState state, string? model, DateTimeOffset until, FailureKind kind, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (model is null)
        {
            if (state.BlockedUntil is { } existing && existing >= until)
            {
                return state;
            }

            return state with { BlockedUntil = until, BlockKind = kind, UpdatedAt = now };
        }

        if (state.Models.TryGetValue(model, out var block) && (block.Until is null || block.Until >= until))
        {
            return state;
        }

        return state with
        {
            Models = state.Models.SetItem(model, new ModelBlock(until, kind, block?.Level ?? 0, now)),
            UpdatedAt = now,
        };
    }

    /// <summary>The key answered a validation: <paramref name="valid"/> brings it back (disables, revalidation-only blocks and billing cooldowns lifted).</summary>
    public static KeyState Revalidated(KeyState state, bool valid, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!valid)
        {
            return state;
        }

        var models = state.Models;
        foreach (var (model, block) in state.Models)
        {
            if (block.Until is null)
            {
                models = models.Remove(model);
            }
        }

        bool billing = state.BlockKind == FailureKind.Billing;
        return state with
        {
            DisabledKind = null,
            DisabledReason = null,
            DisabledAt = null,
            Models = models,
            BlockedUntil = billing ? null : state.BlockedUntil,
            BlockKind = billing ? null : state.BlockKind,
            Failures = 0,
            UpdatedAt = now,
        };
    }

    /// <summary>Clears everything but the totals: a fresh start for one key.</summary>
    public static KeyState Reset(KeyState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        return KeyState.Empty with
        {
            TotalSuccesses = state.TotalSuccesses,
            TotalFailures = state.TotalFailures,
            LastUsed = state.LastUsed,
            LearnedProject = state.LearnedProject,
            UpdatedAt = now,
        };
    }

    /// <summary>
    /// Merges a state written by another process (<paramref name="disk"/>) with this process's (<paramref name="local"/>),
    /// given the state <paramref name="local"/> was derived from (<paramref name="baseline"/>): counters add up exactly
    /// (disk + what this process added since the baseline), and for everything else the newer side wins.
    /// </summary>
    public static KeyState Merge(KeyState? disk, KeyState local, KeyState? baseline)
    {
        ArgumentNullException.ThrowIfNull(local);
        if (ReferenceEquals(local, baseline))
        {
            return disk ?? local;
        }

        baseline ??= KeyState.Empty;
        disk ??= KeyState.Empty;
        bool localNewer = (local.UpdatedAt ?? DateTimeOffset.MinValue) >= (disk.UpdatedAt ?? DateTimeOffset.MinValue);
        var fields = localNewer ? local : disk;
        return fields with
        {
            TotalSuccesses = disk.TotalSuccesses + Math.Max(0, local.TotalSuccesses - baseline.TotalSuccesses),
            TotalFailures = disk.TotalFailures + Math.Max(0, local.TotalFailures - baseline.TotalFailures),
            LastUsed = Later(disk.LastUsed, local.LastUsed),
            LastFailed = Later(disk.LastFailed, local.LastFailed),
            LastError = Newer(disk.LastError, local.LastError),
            LearnedProject = local.LearnedProject ?? disk.LearnedProject,
        };
    }
}
