using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>
/// The pool read for a page: only the statuses a page shows. <see cref="ApiKeyManager"/> answers one key's status by id
/// (<see cref="ApiKeyManager.GetStatus"/>); another pool (Redis) has only <see cref="IKeyPool.GetStatuses"/>, read whole.
/// </summary>
internal static class PoolReads
{
    /// <summary>The status of the key <paramref name="id"/>, or null.</summary>
    public static KeyStatus? StatusOf(IKeyPool pool, string id) => pool is ApiKeyManager manager
        ? manager.GetStatus(id) is { } status && status.Id == id ? status : null
        : pool.GetStatuses().FirstOrDefault(s => s.Id == id);

    /// <summary>The statuses of <paramref name="keys"/>, in their order (a key removed meanwhile is left out).</summary>
    public static List<KeyStatus> StatusesOf(IKeyPool pool, IEnumerable<ApiKey> keys)
    {
        if (pool is ApiKeyManager manager)
        {
            return [.. keys.Select(k => manager.GetStatus(k.Id)).OfType<KeyStatus>()];
        }

        var all = pool.GetStatuses().ToDictionary(s => s.Id, StringComparer.Ordinal);
        return [.. keys.Select(k => all.GetValueOrDefault(k.Id)).OfType<KeyStatus>()];
    }

    /// <summary>The mask of the key <paramref name="id"/> (no status built), or null.</summary>
    public static string? MaskOf(IKeyPool pool, string? id) => id is null ? null : pool.Keys.FirstOrDefault(k => k.Id == id)?.Mask;
}
