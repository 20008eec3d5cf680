using System.Globalization;
using ApiKeys.Pool;

namespace ApiKeys;

public sealed partial class ApiKeyManager
{
    /// <summary>Every key's status: its state, whether it is usable now, and if not why and until when. Holds no secret.</summary>
    /// <param name="model">Also say whether each key can serve this model.</param>
    public IReadOnlyList<KeyStatus> GetStatuses(string? model = null)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var result = new List<KeyStatus>(_table.Count);
            int number = 0;
            foreach (var slot in _table.Order)
            {
                result.Add(StatusOf_NeedsLock(slot, ++number, now, model));
            }

            return result;
        }
    }

    /// <summary>One key's status (given as the secret or its id), or null.</summary>
    public KeyStatus? GetStatus(string key, string? model = null)
    {
        var id = ResolveId(key);
        if (id is null)
        {
            return null;
        }

        lock (_gate)
        {
            if (!_table.TryGetById(id, out var slot))
            {
                return null;
            }

            return StatusOf_NeedsLock(slot, _table.Order.IndexOf(slot) + 1, _time.GetUtcNow(), model);
        }
    }

    /// <summary>A health summary: usable keys (warns below 3), keys due for rotation (older than 90 days), the back-off in force.</summary>
    public PoolHealth GetHealth()
    {
        var statuses = GetStatuses();
        var now = _time.GetUtcNow();
        int usable = statuses.Count(s => s.IsUsable);
        int cooling = statuses.Count(s => s.Availability is KeyAvailability.Cooling);
        int disabled = statuses.Count(s => s.Availability is KeyAvailability.Disabled or KeyAvailability.DisabledByHand);
        var old = statuses.Where(s => now - s.AddedAt > _options.RotationAge).ToList();
        var warnings = new List<string>();
        if (usable < _options.MinimumUsableKeys)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"Only {usable} usable key{(usable == 1 ? "" : "s")} of {statuses.Count}: maintain at least {_options.MinimumUsableKeys} active keys."));
        }

        foreach (var s in old)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture,
                $"Key {s.Mask} was added {(int)(now - s.AddedAt).TotalDays} days ago: rotate keys quarterly."));
        }

        DateTimeOffset? backOff;
        lock (_gate)
        {
            backOff = _guard.BackOffUntil is { } b && b > now ? b : null;
        }

        if (backOff is { } until)
        {
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"Many keys failed the same way at once: backing off until {until:u}."));
        }

        return new PoolHealth
        {
            TotalKeys = statuses.Count,
            UsableKeys = usable,
            CoolingKeys = cooling,
            DisabledKeys = disabled,
            KeysDueForRotation = [.. old.Select(s => s.Id)],
            Warnings = warnings,
            BackOffUntil = backOff,
        };
    }

    private KeyStatus StatusOf_NeedsLock(KeySlot slot, int number, DateTimeOffset now, string? model) =>
        KeyStatusBuilder.Build(slot.Key.Id, slot.Key, slot.Project, slot.State, slot.InFlight, number, now, model, _options.MaxLeasesPerKey);

    /// <summary>A short human form of a duration: <c>42 s</c>, <c>5 min</c>, <c>3 h 20 min</c>.</summary>
    public static string FormatSpan(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        if (span.TotalSeconds < 90)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(span.TotalSeconds)} s");
        }

        if (span.TotalMinutes < 90)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(span.TotalMinutes)} min");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes} min");
    }
}
