using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Http.Tests.Support;

/// <summary>Fake time that tells when code starts waiting on it (a backoff delay, a timeout), and for how long.</summary>
public sealed class RecordingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private TaskCompletionSource<TimeSpan> _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes with the due time of the next timer created with a finite due time.</summary>
    public Task<TimeSpan> NextTimer => Volatile.Read(ref _next).Task;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            Interlocked.Exchange(ref _next, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(dueTime);
        }

        return timer;
    }
}
