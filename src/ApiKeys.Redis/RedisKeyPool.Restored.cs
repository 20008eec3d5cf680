using System.Collections.Concurrent;
using ApiKeys.Pool;

namespace ApiKeys.Redis;

public sealed partial class RedisKeyPool
{
    // The cooldowns this process saw set (its own reports, or states Redis returned to it): (key id, model or "") -> end.
    private readonly ConcurrentDictionary<(string Id, string Model), DateTimeOffset> _cooldowns = new();

    /// <summary>Remembers the cooldowns of a state this process wrote or read, to announce their end.</summary>
    private void WatchCooldowns(string id, KeyState state)
    {
        if (state.BlockedUntil is { } until)
        {
            _cooldowns[(id, "")] = until;
        }

        foreach (var (model, block) in state.Models)
        {
            if (block.Until is { } u)
            {
                _cooldowns[(id, model)] = u;
            }
        }
    }

    /// <summary>
    /// Raises <c>Restored</c> for every cooldown this process saw set that has ended by <paramref name="now"/> (Redis's clock),
    /// once per process: a cooldown ends inside Redis for every process at once, and each tells its own observers.
    /// </summary>
    private void AnnounceRestored(DateTimeOffset now)
    {
        if (_cooldowns.IsEmpty)
        {
            return;
        }

        KeyNotices? notices = null;
        foreach (var (entry, until) in _cooldowns)
        {
            if (until <= now && _cooldowns.TryRemove(new KeyValuePair<(string, string), DateTimeOffset>(entry, until)))
            {
                notices ??= new KeyNotices();
                string? model = entry.Model.Length == 0 ? null : entry.Model;
                notices.AddKeyChanged(new KeyEventArgs(KeyEventKind.Restored, entry.Id, MaskOf(entry.Id), now, model: model));
            }
        }

        _notifier.Publish(notices);
    }
}
