namespace ApiKeys.Pool;

/// <summary>
/// The time on the pool's hot paths. On the system clock, reading the time once per tick of the coarse monotonic clock
/// (<see cref="Environment.TickCount64"/>, a few milliseconds) is exact enough for cooldowns of seconds and costs a fraction
/// of a full read; any other <see cref="TimeProvider"/> (a test's fake clock) is read every time.
/// </summary>
/// <remarks>Not thread-safe: the caller holds the pool's lock.</remarks>
internal sealed class CoarseClock(TimeProvider time)
{
    private readonly bool _system = ReferenceEquals(time, TimeProvider.System);
    private long _tick = long.MinValue;
    private DateTimeOffset _now;

    /// <summary>The clock itself, for exact readings off the hot path.</summary>
    public TimeProvider Time => time;

    /// <summary>The time, to within a tick of the coarse clock.</summary>
    public DateTimeOffset Now()
    {
        if (!_system)
        {
            return time.GetUtcNow();
        }

        long tick = Environment.TickCount64;
        if (tick != _tick)
        {
            _tick = tick;
            _now = time.GetUtcNow();
        }

        return _now;
    }
}
