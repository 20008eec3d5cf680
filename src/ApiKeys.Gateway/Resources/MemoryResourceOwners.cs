using System.Collections.Concurrent;

namespace ApiKeys.Gateway.Resources;

/// <summary>
/// Resource owners in this gateway's memory (the embedded default). Files live 48 hours at Google and cached contents until
/// their TTL, so a restart forgets at most that much: a request naming a forgotten resource goes with any key, and Google
/// answers 403/404 as it would without the gateway.
/// </summary>
public sealed class MemoryResourceOwners(TimeProvider? timeProvider = null) : IResourceOwners
{
    private const int MaxEntries = 100_000;
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (string KeyId, DateTimeOffset Until)> _owners = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask RememberAsync(string name, string keyId, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        var now = _time.GetUtcNow();
        if (_owners.Count >= MaxEntries)
        {
            foreach (var (old, entry) in _owners)
            {
                if (entry.Until <= now)
                {
                    _owners.TryRemove(old, out _);
                }
            }
        }

        _owners[name] = (keyId, now + lifetime);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<string?> OwnerAsync(string name, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_owners.TryGetValue(name, out var entry) && entry.Until > _time.GetUtcNow() ? entry.KeyId : null);

    /// <inheritdoc />
    public ValueTask ForgetAsync(string name, CancellationToken cancellationToken = default)
    {
        _owners.TryRemove(name, out _);
        return ValueTask.CompletedTask;
    }
}
