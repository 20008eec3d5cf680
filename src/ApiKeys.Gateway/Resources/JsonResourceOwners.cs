using ApiKeys.Gateway.Logging;
using ApiKeys.Gateway.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace ApiKeys.Gateway.Resources;

/// <summary>
/// Resource owners in the store directory (the embedded default): <c>gateway_resources.json</c> (0600; names, key ids and
/// expiry times, never a key), written with the store's rules (temp file, fsync, rename, directory fsync) under
/// <c>.gateway_resources.lock</c>, so that after a restart, or in another gateway on the same store, a request naming a
/// file or cached content still goes with the key that created it. Each write merges with what the file holds and drops
/// what has expired; a reader looks at the file's stamp and reads it again when another process changed it. A write that
/// fails keeps the change in memory (logged; the next write carries it); a file that cannot be read is never overwritten.
/// </summary>
public sealed class JsonResourceOwners : IResourceOwners, IDisposable
{
    /// <summary>The file's name in the store directory.</summary>
    public const string FileName = "gateway_resources.json";

    /// <summary>The lock file's name.</summary>
    public const string LockFileName = ".gateway_resources.lock";

    private const int MaxEntries = 100_000;

    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    // Lock order: _write (one file write at a time in this process), then _gate (memory only, never held across I/O).
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceOwner?> _unsaved = new(StringComparer.Ordinal);
    private Saved _saved = new(default, new Dictionary<string, ResourceOwner>(StringComparer.Ordinal));

    /// <summary>Keeps the owners of the store in <paramref name="directory"/> (nothing is read or created yet).</summary>
    public JsonResourceOwners(string directory, TimeProvider? timeProvider = null, ILogger<JsonResourceOwners>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
        FilePath = Path.Combine(Directory, FileName);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The store directory.</summary>
    public string Directory { get; }

    /// <summary>The owners file.</summary>
    public string FilePath { get; }

    /// <inheritdoc />
    public async ValueTask RememberAsync(string name, string keyId, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(keyId);
        lock (_gate)
        {
            _unsaved[name] = new ResourceOwner(keyId, _time.GetUtcNow() + lifetime);
        }

        await SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public ValueTask<string?> OwnerAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var saved = Current();
        var now = _time.GetUtcNow();
        ResourceOwner? owner;
        lock (_gate)
        {
            if (!_unsaved.TryGetValue(name, out owner))
            {
                owner = saved.Owners.TryGetValue(name, out var known) ? known : null;
            }
        }

        return ValueTask.FromResult(owner is { } o && o.Expires > now ? o.KeyId : null);
    }

    /// <inheritdoc />
    public async ValueTask ForgetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (_gate)
        {
            _unsaved[name] = null;
        }

        await SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Releases the writer's semaphore (the file stays).</summary>
    public void Dispose() => _write.Dispose();

    /// <summary>Writes the changes not on disk yet, merged with what the file holds now; on failure they stay in memory.</summary>
    private async Task SaveAsync(CancellationToken cancellationToken)
    {
        await _write.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            PrivateFile.EnsureDirectory(Directory);
            await using var held = await PrivateFile.LockAsync(Path.Combine(Directory, LockFileName), _time, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var stamp = FileStamp.Of(FilePath);
            var owners = stamp.Exists ? ResourceOwnersFile.Read(File.ReadAllBytes(FilePath), FilePath, now) : new(StringComparer.Ordinal);
            KeyValuePair<string, ResourceOwner?>[] changes;
            lock (_gate)
            {
                changes = [.. _unsaved];
            }

            foreach (var (name, owner) in changes)
            {
                if (owner is { } o && o.Expires > now)
                {
                    owners[name] = o;
                }
                else
                {
                    owners.Remove(name);
                }
            }

            Trim(owners);
            PrivateFile.WriteAtomic(FilePath, ResourceOwnersFile.Write(owners));
            var written = new Saved(FileStamp.Of(FilePath), owners);
            lock (_gate)
            {
                foreach (var (name, owner) in changes)
                {
                    // A change made while this one was written stays for the next write.
                    if (_unsaved.TryGetValue(name, out var pending) && pending == owner)
                    {
                        _unsaved.Remove(name);
                    }
                }

                _saved = written;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // The request that created the resource succeeded: it is not failed for this; the owner is kept in memory.
            GatewayLog.ResourceOwnersNotSaved(_logger, e.Message);
        }
        finally
        {
            _write.Release();
        }
    }

    /// <summary>What the file holds now: read again when its stamp changed since the last look (another process wrote it).</summary>
    private Saved Current()
    {
        var stamp = FileStamp.Of(FilePath);
        var saved = Volatile.Read(ref _saved);
        if (saved.Stamp == stamp)
        {
            return saved;
        }

        Dictionary<string, ResourceOwner> owners;
        try
        {
            owners = stamp.Exists ? ResourceOwnersFile.Read(File.ReadAllBytes(FilePath), FilePath, _time.GetUtcNow()) : new(StringComparer.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            // Unreadable: what was read before still serves (remembered as read, so the error is logged once per change).
            GatewayLog.ResourceOwnersUnreadable(_logger, e.Message);
            owners = saved.Owners;
        }

        var fresh = new Saved(stamp, owners);
        lock (_gate)
        {
            _saved = fresh;
        }

        return fresh;
    }

    /// <summary>At most <see cref="MaxEntries"/>: past that, those that end soonest go first.</summary>
    private static void Trim(Dictionary<string, ResourceOwner> owners)
    {
        if (owners.Count <= MaxEntries)
        {
            return;
        }

        foreach (var (name, _) in owners.OrderBy(o => o.Value.Expires).Take(owners.Count - MaxEntries).ToList())
        {
            owners.Remove(name);
        }
    }

    private sealed record Saved(FileStamp Stamp, Dictionary<string, ResourceOwner> Owners);
}
