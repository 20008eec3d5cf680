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

        KeyTransition transition = default;
        var before = KeyState.Empty;
        DateTimeOffset at = default;
        var status = Change(id, (state, now) =>
        {
            before = state;
            at = now;
            double jitter = outcome.Failure is null ? 0.5 : NextJitter();
            transition = KeyStatePolicy.Apply(state, outcome, now, _options, jitter);
            return transition.State;
        }, leaseId);

        _notifier.RecordOutcome(outcome);
        if (status != RedisWriteStatus.Applied || outcome.Failure is not { } failure)
        {
            return status;
        }

        var notices = new KeyNotices();
        notices.AddOutcome(id, MaskOf(id), before, transition, outcome, at, _options.AlertAfterConsecutiveFailures);
        if (transition.ProjectWide)
        {
            try
            {
                ApplyToProject(id, transition, failure.Kind, notices);
            }
            catch (RedisKeyPoolUnavailableException e)
            {
                // The key's own outcome is in Redis: report it applied (a fallback must not apply it a second time);
                // only the siblings' cooldown is lost, and they will earn their own 429s.
                Log.ReportLost(_logger, id, leaseId ?? 0, e.InnerException?.GetType().Name ?? "project cooldown");
            }
        }

        _notifier.Publish(notices);
        return status;
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

    private void Enabled(string id, string why)
    {
        var notices = new KeyNotices();
        notices.AddKeyChanged(new KeyEventArgs(KeyEventKind.Enabled, id, MaskOf(id), RedisNow(), reason: why));
        _notifier.Publish(notices);
    }

    private string MaskOf(string id) => _slotById.TryGetValue(id, out int slot) ? _keys[slot].Mask : id;
}
