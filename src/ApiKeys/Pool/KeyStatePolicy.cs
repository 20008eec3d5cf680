namespace ApiKeys.Pool;

/// <summary>
/// The rules: one pure function from (state, outcome, now, options) to the next state. Every backend
/// (memory and JSON files, Redis) applies exactly these, so a key behaves the same wherever its state lives.
/// </summary>
public static partial class KeyStatePolicy
{
    /// <summary>Applies <paramref name="outcome"/> to <paramref name="state"/>.</summary>
    /// <param name="state">The key's state before.</param>
    /// <param name="outcome">What happened.</param>
    /// <param name="now">The time of the outcome.</param>
    /// <param name="options">The pool's options.</param>
    /// <param name="jitter">A random number in [0, 1) that spreads escalating cooldowns (0.5: none).</param>
    public static KeyTransition Apply(KeyState state, KeyOutcome outcome, DateTimeOffset now, ApiKeyManagerOptions options, double jitter)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        if (outcome.Failure is not { } failure)
        {
            return new(Succeeded(state, outcome.Model, now, options), KeyEffect.None);
        }

        bool keyFault = !outcome.IsExcused && failure.IsKeyFault;
        var counted = state with
        {
            TotalFailures = state.TotalFailures + 1,
            LastUsed = now,
            LastError = new KeyError(failure.Kind, failure.Message, now),
            LearnedProject = failure.Project ?? state.LearnedProject,
            LastFailed = keyFault ? now : state.LastFailed,
            UpdatedAt = keyFault ? now : state.UpdatedAt,
        };

        if (!keyFault)
        {
            // The environment-fault guard excuses strikes and escalation, never a cooldown the server asked for.
            return outcome.IsExcused && failure.IsKeyFault && failure.Kind == FailureKind.RateLimited
                ? RateLimited(counted, failure, outcome.Model, now, options, jitter, excused: true)
                : new(counted, KeyEffect.None);
        }

        return KeyFault(counted, failure, outcome.Model, now, options, jitter);
    }

    /// <summary>What a failure that is the key's fault does to it, by kind (the failure table).</summary>
    private static KeyTransition KeyFault(KeyState counted, KeyFailure failure, string? model, DateTimeOffset now, ApiKeyManagerOptions options, double jitter)
    {
        switch (failure.Kind)
        {
            case FailureKind.RateLimited:
                return RateLimited(counted, failure, model, now, options, jitter, excused: false);

            case FailureKind.ModelUnavailable when model is not null:
                return new(BlockModel(counted, model, null, FailureKind.ModelUnavailable, now), KeyEffect.ModelDisabled, null, model);

            case FailureKind.Forbidden when failure.IsServiceBlocked && model is not null:
                return new(BlockModel(counted, model, null, FailureKind.Forbidden, now), KeyEffect.ModelDisabled, null, model);

            case FailureKind.Forbidden when failure.Detail == FailureDetail.ServiceDisabled:
                // The API is off for the whole project: no key of it can work until someone enables it.
                return new(Disable(counted, failure.Kind, DisabledReasons.ServiceDisabled(failure.Service, counted.LearnedProject), now), KeyEffect.Disabled, ProjectWide: true);

            case FailureKind.Forbidden when failure.IsKeyRestriction:
                return new(Disable(counted, failure.Kind, DisabledReasons.Restriction(failure), now), KeyEffect.Disabled);

            case FailureKind.Suspended when failure.Detail == FailureDetail.Leaked:
                return new(Disable(counted, failure.Kind, DisabledReasons.Leaked, now), KeyEffect.Disabled, Alert: true);

            case FailureKind.ModelUnavailable:
            case FailureKind.Forbidden when failure.IsServiceBlocked:
            case FailureKind.InvalidKey:
            case FailureKind.Suspended:
                return new(Disable(counted, failure.Kind, failure.Message ?? DisabledReasons.Describe(failure.Kind), now), KeyEffect.Disabled);

            case FailureKind.Billing:
                return Billing(counted, now, options, jitter);

            default:
                return Strike(counted, failure.Kind, now, options, jitter);
        }
    }

    /// <summary>Credit used up: the key and its project cool, escalating from <see cref="ApiKeyManagerOptions.MaxCooldown"/>, until revalidated.</summary>
    private static KeyTransition Billing(KeyState counted, DateTimeOffset now, ApiKeyManagerOptions options, double jitter)
    {
        var delay = Escalate(options.MaxCooldown, counted.CooldownLevel, options.MaxBillingCooldown, options.JitterRatio, jitter);
        var until = now + delay;
        return new(counted with
        {
            BlockedUntil = Later(counted.BlockedUntil, until),
            BlockKind = FailureKind.Billing,
            CooldownLevel = counted.CooldownLevel + 1,
            LevelChangedAt = now,
        }, KeyEffect.Cooling, until, null, ProjectWide: true);
    }

    /// <summary>The cooldown for escalation <paramref name="level"/>: base x 2^level, capped, spread by +/- <paramref name="jitterRatio"/>.</summary>
    public static TimeSpan Escalate(TimeSpan baseDelay, int level, TimeSpan max, double jitterRatio, double jitter)
    {
        double factor = Math.Pow(2, Math.Clamp(level, 0, 40));
        double ticks = Math.Min(baseDelay.Ticks * factor, max.Ticks);
        ticks *= 1 + (jitterRatio * ((2 * jitter) - 1));
        return TimeSpan.FromTicks((long)Math.Max(ticks, TimeSpan.TicksPerMillisecond));
    }

    /// <summary>
    /// Whether a success would change nothing but <see cref="KeyState.TotalSuccesses"/> and <see cref="KeyState.LastUsed"/>
    /// (no strikes to reset, no escalation to decay, no model block to forget): the pool counts such successes without
    /// making a new state.
    /// </summary>
    public static bool IsCounterOnlySuccess(KeyState state, string? model, DateTimeOffset now, ApiKeyManagerOptions options)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        return state.Failures == 0 && DecaySteps(state, now, options) == 0 && !ForgetsModel(state, model, now, options);
    }

    private static KeyState Succeeded(KeyState state, string? model, DateTimeOffset now, ApiKeyManagerOptions options)
    {
        long decay = DecaySteps(state, now, options);
        bool forget = ForgetsModel(state, model, now, options);
        if (state.Failures == 0 && decay == 0 && !forget)
        {
            return state with { TotalSuccesses = state.TotalSuccesses + 1, LastUsed = now };
        }

        // The model has served again after a quiet period: forget its escalation.
        return state with
        {
            TotalSuccesses = state.TotalSuccesses + 1,
            LastUsed = now,
            Failures = 0,
            CooldownLevel = decay > 0 ? (int)Math.Max(0, state.CooldownLevel - decay) : state.CooldownLevel,
            LevelChangedAt = decay > 0 ? now : state.LevelChangedAt,
            Models = forget ? state.Models.Remove(model!) : state.Models,
            UpdatedAt = now,
        };
    }

    /// <summary>How many quiet periods have passed since the escalation level last changed (0 when there is nothing to decay).</summary>
    private static long DecaySteps(KeyState state, DateTimeOffset now, ApiKeyManagerOptions options)
    {
        if (state.CooldownLevel <= 0 || state.IsCooling(now))
        {
            return 0;
        }

        var since = state.LevelChangedAt ?? DateTimeOffset.MinValue;
        return Math.Max(0, (now - since).Ticks / options.CooldownDecay.Ticks);
    }

    private static bool ForgetsModel(KeyState state, string? model, DateTimeOffset now, ApiKeyManagerOptions options) =>
        model is not null && state.Models.Count > 0 && state.Models.TryGetValue(model, out var block) && !block.IsActive(now)
        && (now - block.Since) >= options.CooldownDecay;

    private static KeyTransition RateLimited(KeyState state, KeyFailure failure, string? model, DateTimeOffset now, ApiKeyManagerOptions options, double jitter, bool excused)
    {
        var asked = ServerCooldownEnd(failure, now, options);
        if (asked is null && excused)
        {
            return new(state, KeyEffect.None);
        }

        int level = model is not null && state.Models.TryGetValue(model, out var existing) ? existing.Level : state.CooldownLevel;
        bool escalated = asked is null;
        var until = asked ?? now + Escalate(options.BaseCooldown, level, options.MaxCooldown, options.JitterRatio, jitter);
        int nextLevel = escalated ? level + 1 : level;

        // An excused failure changed nothing but counters so far: the cooldown it keeps is a change the merge must see.
        var updated = excused ? state with { UpdatedAt = now } : state;
        if (model is null)
        {
            return new(updated with
            {
                BlockedUntil = Later(state.BlockedUntil, until),
                BlockKind = FailureKind.RateLimited,
                CooldownLevel = nextLevel,
                LevelChangedAt = escalated ? now : state.LevelChangedAt,
            }, KeyEffect.Cooling, until, null, ProjectWide: true);
        }

        return new(updated with
        {
            Models = state.Models.SetItem(model, new ModelBlock(until, FailureKind.RateLimited, nextLevel, now)),
        }, KeyEffect.ModelCooling, until, model, ProjectWide: true);
    }

    /// <summary>The end of the cooldown the server stated: its retry delay, or a daily quota's reset (whose retry delay is misleading).</summary>
    private static DateTimeOffset? ServerCooldownEnd(KeyFailure failure, DateTimeOffset now, ApiKeyManagerOptions options)
    {
        if (failure.Scope == RateLimitScope.Day)
        {
            return DailyQuota.NextReset(now, options.DailyQuotaTimeZone);
        }

        return failure.RetryAfter is { } retryAfter && retryAfter > TimeSpan.Zero ? now + retryAfter : null;
    }

    private static KeyTransition Strike(KeyState state, FailureKind kind, DateTimeOffset now, ApiKeyManagerOptions options, double jitter)
    {
        int failures = state.Failures + 1;
        var next = state with { Failures = failures };
        if (failures < options.FailureThreshold)
        {
            return new(next, KeyEffect.Strike);
        }

        var until = now + Escalate(options.BaseCooldown, state.CooldownLevel, options.MaxCooldown, options.JitterRatio, jitter);
        return new(next with
        {
            BlockedUntil = Later(state.BlockedUntil, until),
            BlockKind = kind,
            CooldownLevel = state.CooldownLevel + 1,
            LevelChangedAt = now,
        }, KeyEffect.Cooling, until);
    }

    private static KeyState Disable(KeyState state, FailureKind kind, string reason, DateTimeOffset now) =>
        state with { DisabledKind = kind, DisabledReason = reason, DisabledAt = now };

    private static KeyState BlockModel(KeyState state, string model, DateTimeOffset? until, FailureKind kind, DateTimeOffset now) =>
        state with { Models = state.Models.SetItem(model, new ModelBlock(until, kind, 0, now)) };

    private static DateTimeOffset? Later(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;

    private static KeyError? Newer(KeyError? a, KeyError? b) =>
        a is null ? b : b is null ? a : a.At > b.At ? a : b;
}
