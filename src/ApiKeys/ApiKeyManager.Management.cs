using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Storage;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    /// <summary>Adds a key, checking its format; on disk before the call returns.</summary>
    /// <param name="secret">The key.</param>
    /// <param name="label">An optional label.</param>
    /// <param name="project">The key's project (keys of one project share a quota).</param>
    /// <param name="allowGeneric">Whether a key of no known format is accepted; null: <see cref="ApiKeyManagerOptions.AllowGenericKeys"/>.</param>
    /// <returns>What happened; <see cref="AddKeyResult.SaveError"/> is set when the key is in memory but the write failed (retried later).</returns>
    /// <exception cref="KeyStoreException">
    /// The store cannot be read, or refuses the change (a directory or a symbolic link where its lock file should be:
    /// <see cref="KeyStoreErrorKind.NotAFile"/>); nothing was changed, in memory or on disk. Only a write that fails for
    /// permission or I/O (<see cref="KeyStoreErrorKind.PermissionDenied"/>, <see cref="KeyStoreErrorKind.Io"/>), which may
    /// pass, is kept in memory and retried instead.
    /// </exception>
    public AddKeyResult AddKey(string secret, string? label = null, string? project = null, bool? allowGeneric = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        secret = secret?.Trim() ?? "";
        var check = KeyFormat.Check(secret);
        switch (check)
        {
            case KeyFormatCheck.Empty or KeyFormatCheck.Malformed:
                return new(AddKeyStatus.Malformed, null, null, KeyProvider.Generic);
            case KeyFormatCheck.MalformedGemini:
                return new(AddKeyStatus.MalformedGemini, null, KeyMask.Mask(secret), KeyProvider.Gemini);
            case KeyFormatCheck.Unknown when !(allowGeneric ?? _options.AllowGenericKeys):
                return new(AddKeyStatus.UnknownFormat, null, KeyMask.Mask(secret), KeyProvider.Generic);
        }

        var key = new ApiKey(secret, _time.GetUtcNow(), label, string.IsNullOrWhiteSpace(project) ? null : project.Trim());
        lock (_gate)
        {
            if (_table.ContainsId(key.Id))
            {
                return new(AddKeyStatus.Duplicate, key.Id, key.Mask, key.Provider);
            }
        }

        bool duplicate = false;
        string? saveError = ChangeKeys(keys =>
        {
            if (keys.Any(k => k.Id == key.Id))
            {
                duplicate = true;
                return null;
            }

            return new KeysUpdate([.. keys, key]);
        });

        return new(duplicate ? AddKeyStatus.Duplicate : AddKeyStatus.Added, key.Id, key.Mask, key.Provider, saveError);
    }

    /// <summary>Removes a key (given as the secret or its id); on disk before the call returns.</summary>
    /// <returns>False when the pool has no such key.</returns>
    /// <exception cref="KeyStoreException">The store cannot be read, or refuses the change (as for <see cref="AddKey"/>); nothing was changed.</exception>
    public bool RemoveKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var id = ResolveId(key);
        if (id is null)
        {
            return false;
        }

        ChangeKeys(keys => keys.Any(k => k.Id == id) ? new KeysUpdate([.. keys.Where(k => k.Id != id)]) : null);
        return true;
    }

    /// <summary>The seed's key rotation: the pool gets <paramref name="newKeys"/> and every state is cleared.</summary>
    /// <returns>The number of keys in the pool afterwards (empty and duplicate entries skipped).</returns>
    /// <exception cref="KeyStoreException">The store cannot be read, or refuses the change (as for <see cref="AddKey"/>); nothing was changed.</exception>
    public int ReplaceKeys(IEnumerable<string?> newKeys)
    {
        ArgumentNullException.ThrowIfNull(newKeys);
        var now = _time.GetUtcNow();
        var keys = new List<ApiKey>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in newKeys)
        {
            var secret = raw?.Trim();
            if (!string.IsNullOrEmpty(secret) && seen.Add(secret))
            {
                keys.Add(new ApiKey(secret, now));
            }
        }

        ChangeKeys(_ => new KeysUpdate(keys, ClearStates: true));
        return keys.Count;
    }

    /// <summary>Enables a key disabled by hand or by a failure, and lifts its revalidation-only blocks.</summary>
    /// <returns>False when the pool has no such key.</returns>
    /// <exception cref="KeyStoreException">A key disabled by hand, and the store refuses the change (as for <see cref="AddKey"/>); nothing was changed.</exception>
    public bool Enable(string key)
    {
        var id = ResolveId(key);
        if (id is null)
        {
            return false;
        }

        bool manual;
        lock (_gate)
        {
            if (!_table.TryGetById(id, out var slot))
            {
                return false;
            }

            manual = slot.Key.Disabled;
        }

        if (manual)
        {
            ChangeKeys(keys => new KeysUpdate([.. keys.Select(k => k.Id == id ? k with { Disabled = false } : k)]));
        }

        ChangeState(id, (state, now) => KeyStatePolicy.Revalidated(state, valid: true, now), KeyEventKind.Enabled, "enabled by hand");
        return true;
    }

    /// <summary>Disables a key by hand until <see cref="Enable"/>; on disk before the call returns.</summary>
    /// <returns>False when the pool has no such key.</returns>
    /// <exception cref="KeyStoreException">The store cannot be read, or refuses the change (as for <see cref="AddKey"/>); nothing was changed.</exception>
    public bool Disable(string key)
    {
        var id = ResolveId(key);
        if (id is null)
        {
            return false;
        }

        ChangeKeys(keys => new KeysUpdate([.. keys.Select(k => k.Id == id ? k with { Disabled = true } : k)]));
        var notices = new KeyNotices();
        notices.AddKeyChanged(new KeyEventArgs(KeyEventKind.Disabled, id, MaskOf(id), _time.GetUtcNow(), reason: "disabled by hand"));
        Publish(notices);
        return true;
    }

    /// <summary>Clears a key's failures, cooldowns and disables (its totals stay).</summary>
    /// <returns>False when the pool has no such key.</returns>
    public bool Reset(string key)
    {
        var id = ResolveId(key);
        if (id is null)
        {
            return false;
        }

        ChangeState(id, (state, now) => KeyStatePolicy.Reset(state, now), KeyEventKind.Enabled, "reset");
        return true;
    }

    /// <summary>Records the result of a validation that spends no quota: a valid key comes back; an invalid one gets <paramref name="failure"/>.</summary>
    /// <returns>False when the pool has no such key.</returns>
    public bool Revalidated(string key, bool valid, KeyFailure? failure = null)
    {
        var id = ResolveId(key);
        if (id is null)
        {
            return false;
        }

        if (valid)
        {
            ChangeState(id, (state, now) => KeyStatePolicy.Revalidated(state, valid: true, now), KeyEventKind.Enabled, "revalidated");
        }
        else if (failure is not null)
        {
            Report(id, KeyOutcome.Failed(failure));
        }

        return true;
    }

    /// <summary>Sets the project of a key (keys of one project share a quota); on disk before the call returns.</summary>
    /// <exception cref="KeyStoreException">The store cannot be read, or refuses the change (as for <see cref="AddKey"/>); nothing was changed.</exception>
    public bool SetProject(string key, string? project)
    {
        var id = ResolveId(key);
        if (id is null)
        {
            return false;
        }

        project = string.IsNullOrWhiteSpace(project) ? null : project.Trim();
        ChangeKeys(keys => new KeysUpdate([.. keys.Select(k => k.Id == id ? k with { Project = project } : k)]));
        return true;
    }

    /// <summary>Finds a key by its secret or its id; returns the id, or null.</summary>
    public string? ResolveId(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (_gate)
        {
            if (_table.ContainsId(key))
            {
                return key;
            }

            return _table.TryGetBySecret(key, out var slot) ? slot.Key.Id : null;
        }
    }

    private string MaskOf(string id)
    {
        lock (_gate)
        {
            return _table.TryGetById(id, out var slot) ? slot.Mask : id;
        }
    }

    private void ChangeState(string id, Func<KeyState, DateTimeOffset, KeyState> change, KeyEventKind kind, string reason)
    {
        KeyNotices? notices;
        lock (_gate)
        {
            if (!_table.TryGetById(id, out var slot))
            {
                return;
            }

            _transitions.Change(slot, change, kind, reason, _time.GetUtcNow());
            _leases.WakeWaiters();
            notices = _pending.Take();
        }

        Publish(notices);
        SignalSync();
    }

    /// <summary>Applies a key change to the store (on disk before returning) and to the pool.</summary>
    /// <returns>Null, or the save error when the change is kept in memory and retried later.</returns>
    private string? ChangeKeys(Func<IReadOnlyList<ApiKey>, KeysUpdate?> change)
    {
        var (saveError, notices) = _sync.ChangeKeys(change);
        Publish(notices);
        return saveError;
    }
}
