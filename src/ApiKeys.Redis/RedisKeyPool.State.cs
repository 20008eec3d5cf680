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
            LogRestored(id, "revalidated");
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
        LogRestored(id, "reset");
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

    /// <summary>Applies an outcome with the pool's rules; a project-wide cooldown reaches the key's siblings before this returns.</summary>
    internal RedisWriteStatus Apply(string id, KeyOutcome outcome, long? leaseId)
    {
        if (outcome.Failure is { Message: not null } raw)
        {
            // Key-shaped tokens were masked when the failure was made; this masks the pool's keys of any shape too.
            var redacted = raw.RedactedWith(Redactor);
            if (!ReferenceEquals(redacted, raw))
            {
                outcome = outcome.WithFailure(redacted);
            }
        }

        KeyTransition transition = default;
        int previousFailures = 0;
        var status = Change(id, (state, now) =>
        {
            previousFailures = state.Failures;
            double jitter = outcome.Failure is null ? 0.5 : NextJitter();
            transition = KeyStatePolicy.Apply(state, outcome, now, _options, jitter);
            return transition.State;
        }, leaseId);

        if (status != RedisWriteStatus.Applied || outcome.Failure is not { } failure)
        {
            return status;
        }

        switch (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Warning) ? transition.Effect : KeyEffect.None)
        {
            case KeyEffect.Cooling or KeyEffect.ModelCooling:
                Log.KeyBlocked(_logger, MaskOf(id), transition.Until ?? RedisNow(), transition.Model ?? "every model", failure.Kind.ToString());
                break;
            case KeyEffect.Disabled or KeyEffect.ModelDisabled:
                Log.KeyDisabled(_logger, MaskOf(id), transition.Model ?? "every model", transition.State.DisabledReason ?? failure.Kind.ToString());
                break;
        }

        RaiseFor(id, transition, failure, previousFailures);
        if (transition.ProjectWide)
        {
            try
            {
                ApplyToProject(id, transition, failure.Kind);
            }
            catch (RedisKeyPoolUnavailableException e)
            {
                // The key's own outcome is in Redis: report it applied (a fallback must not apply it a second time);
                // only the siblings' cooldown is lost, and they will earn their own 429s.
                Log.ReportLost(_logger, id, leaseId ?? 0, e.InnerException?.GetType().Name ?? "project cooldown");
            }
        }

        return status;
    }

    /// <summary>Cools or disables every other key of the key's project (configured here, registered by any process, or learned from an error).</summary>
    private void ApplyToProject(string id, KeyTransition transition, FailureKind kind)
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
            Change(sibling, (state, now) => KeyStatePolicy.ApplyToProjectSibling(state, transition, kind, now), leaseId: null);
        }
    }

    /// <summary>
    /// Read-modify-write of one key's state: <paramref name="change"/> runs on the state this process last saw, and the
    /// write script applies it only if Redis still has that version; on a conflict the script returns the current state
    /// and Redis's clock, and <paramref name="change"/> runs again on them. One round trip when this process's view is fresh.
    /// </summary>
    internal RedisWriteStatus Change(string id, Func<KeyState, DateTimeOffset, KeyState> change, long? leaseId, string? operationId = null)
    {
        // A write with no lease still says what it applies to, so the retry after a client timeout (the script may
        // have run) cannot apply it twice.
        operationId ??= leaseId is null ? Guid.NewGuid().ToString("N") : null;
        var keyName = _names.Key(id);
        RedisKey[] keys = [keyName, _names.Ring, _names.Cool, _names.Leases, operationId is null ? keyName : _names.Operation(operationId)];
        string? member = leaseId is { } l ? RedisPoolKeys.LeaseMember(l, id) : null;
        long? markerTtl = operationId is null ? null : (long)_redisOptions.LeaseTimeout.TotalMilliseconds;
        var seen = _cache.TryGetValue(id, out var cached) ? cached : null;
        var before = seen?.State ?? KeyState.Empty;
        long version = seen?.Version ?? -1;
        var now = RedisNow();
        bool reregistered = false;
        for (int attempt = 0; attempt < MaxWriteAttempts; attempt++)
        {
            var after = change(before, now);
            var args = RedisStateCodec.WriteArgs(id, version, before, after, member, markerTtl);
            var r = (RedisResult[])Eval(RedisScripts.Write, keys, args, "report", TimeoutRetries)!;
            long code = (long)r[0];
            long nowMs = (long)r[3];
            ObserveClock(nowMs);
            switch (code)
            {
                case 1:
                    _cache[id] = new RedisVersionedState(after, (long)r[2]);
                    return RedisWriteStatus.Applied;
                case 2:
                    // Applied before (a retry after a client timeout may land here): this process's view is unknown now.
                    _cache.TryRemove(id, out _);
                    return RedisWriteStatus.Duplicate;
                case 3 when !reregistered:
                    Log.Reregistering(_logger, _redisOptions.PoolName);
                    Register();
                    reregistered = true;
                    before = KeyState.Empty;
                    version = -1;
                    break;
                case 3:
                    throw new RedisKeyPoolUnavailableException($"Key {id} of pool '{_redisOptions.PoolName}' disappeared from Redis right after registration.");
                default:
                    before = RedisStateCodec.Parse(id, (string?)r[1]);
                    version = (long)r[2];
                    _cache[id] = new RedisVersionedState(before, version);
                    break;
            }

            now = RedisStateCodec.Time(nowMs);
        }

        throw new RedisKeyPoolUnavailableException($"Key {id} of pool '{_redisOptions.PoolName}': {MaxWriteAttempts} conflicting writes in a row.");
    }

    private void LogRestored(string id, string why)
    {
        if (_logger.IsEnabled(Microsoft.Extensions.Logging.LogLevel.Information))
        {
            string mask = MaskOf(id);
            Log.KeyRestored(_logger, mask, why);
        }

        Raise(KeyChanged, new KeyEventArgs(KeyEventKind.Enabled, id, MaskOf(id), RedisNow(), reason: why));
    }

    /// <summary>The events <see cref="ApiKeyManager"/> raises for the same transition (this process's reports only).</summary>
    private void RaiseFor(string id, KeyTransition transition, KeyFailure failure, int previousFailures)
    {
        if (KeyChanged is not null && transition.Effect is not (KeyEffect.None or KeyEffect.Strike))
        {
            var kind = transition.Effect is KeyEffect.Cooling or KeyEffect.ModelCooling ? KeyEventKind.Cooling : KeyEventKind.Disabled;
            Raise(KeyChanged, new KeyEventArgs(kind, id, MaskOf(id), RedisNow(), failure.Kind, transition.Until, transition.Model,
                kind == KeyEventKind.Disabled ? transition.State.DisabledReason : failure.Message));
        }

        int threshold = _options.AlertAfterConsecutiveFailures;
        if (Alert is not null && (transition.Alert || (transition.State.Failures >= threshold && previousFailures < threshold)))
        {
            Raise(Alert, new KeyAlertEventArgs(id, MaskOf(id), transition.State.Failures, transition.State.LastError, transition.Alert ? transition.State.DisabledReason : null));
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
            handler(this, args);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.HandlerFailed(_logger, _redactor.Redact(e.Message));
        }
    }

    private string MaskOf(string id) => _slotById.TryGetValue(id, out int slot) ? _keys[slot].Mask : id;
}
