namespace ApiKeys.Pool;

/// <summary>
/// Keeps the pool from emptying itself by mistake: when at least half of the usable keys (and at least
/// <see cref="ApiKeyManagerOptions.EnvironmentFaultMinKeys"/>) fail with the same kind within the window, across
/// different projects, the fault is the environment's (IP throttling, network, region), not the keys'.
/// It excuses strikes and escalation only: a cooldown the server asked for stays (see <see cref="KeyStatePolicy.Apply"/>).
/// Not thread-safe: the pool calls it under its lock.
/// </summary>
internal sealed class EnvironmentFaultGuard
{
    private readonly Dictionary<FailureKind, Queue<Entry>> _recent = [];
    private readonly Dictionary<FailureKind, DateTimeOffset> _trippedUntil = [];

    public DateTimeOffset? BackOffUntil { get; private set; }

    public bool IsTripped(FailureKind kind, DateTimeOffset now) =>
        _trippedUntil.TryGetValue(kind, out var until) && until > now;

    /// <summary>Records a failure; returns the entries to undo when this failure trips the guard, else null.</summary>
    public List<Entry>? Record(KeyOutcome outcome, KeySlot slot, KeyState before, DateTimeOffset now, KeyRing usable, ApiKeyManagerOptions options)
    {
        var kind = outcome.Failure!.Kind;
        if (!_recent.TryGetValue(kind, out var queue))
        {
            _recent[kind] = queue = new Queue<Entry>();
        }

        var window = options.EnvironmentFaultWindow;
        while (queue.TryPeek(out var oldest) && now - oldest.At > window)
        {
            queue.Dequeue();
        }

        queue.Enqueue(new Entry(slot, before, now, outcome.Failure, outcome.Model));
        if (queue.Count < options.EnvironmentFaultMinKeys)
        {
            return null;
        }

        var keys = new HashSet<int>();
        var projects = new HashSet<string>(StringComparer.Ordinal);
        int outside = 0;
        foreach (var e in queue)
        {
            if (keys.Add(e.Slot.Index))
            {
                projects.Add(e.Slot.Project ?? e.Slot.Key.Id);
                if (!usable.Contains(e.Slot.Index))
                {
                    outside++;
                }
            }
        }

        // The keys that failed were usable just before: count them with the keys still usable.
        int usableBefore = usable.Count + outside;
        int needed = Math.Max(options.EnvironmentFaultMinKeys, (usableBefore + 1) / 2);
        if (keys.Count < needed || projects.Count < 2)
        {
            return null;
        }

        _trippedUntil[kind] = now + window;
        BackOffUntil = now + window;
        var entries = queue.ToList();
        queue.Clear();
        return entries;
    }

    /// <summary>A failure that took a key out: the key's state before it, and the failure (to apply again, excused, if the guard trips).</summary>
    internal readonly record struct Entry(KeySlot Slot, KeyState Before, DateTimeOffset At, KeyFailure Failure, string? Model);
}
