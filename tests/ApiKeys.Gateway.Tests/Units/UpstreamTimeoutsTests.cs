using ApiKeys.Gateway.Forwarding;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Gateway.Tests.Units;

/// <summary>The gateway's own timeouts: headers within one limit, then no wait for a chunk longer than the idle limit; progress never times out.</summary>
public sealed class UpstreamTimeoutsTests
{
    private static readonly TimeSpan Headers = TimeSpan.FromSeconds(600);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(300);

    [Fact]
    public void StartIdle_NoChunkWithinTheIdleTimeout_CancelledAsATimeout()
    {
        var time = new FakeTimeProvider();
        using var timeouts = new UpstreamTimeouts(Headers, Idle, time, CancellationToken.None);
        timeouts.StartHeaders();
        timeouts.StartIdle();

        time.Advance(Idle - TimeSpan.FromSeconds(1));
        Assert.False(timeouts.Token.IsCancellationRequested);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(timeouts.TimedOut);
    }

    [Fact]
    public void Progressed_EarlyInTheHeadersTimeout_DoesNotShortenIt()
    {
        var time = new FakeTimeProvider();
        using var timeouts = new UpstreamTimeouts(Headers, Idle, time, CancellationToken.None);
        timeouts.StartHeaders();

        timeouts.Progressed();
        time.Advance(TimeSpan.FromSeconds(400));

        Assert.False(timeouts.Token.IsCancellationRequested);
    }

    [Fact]
    public void Progressed_ReadsCompletingAtOnceForLongerThanEveryLimit_NeverCancelled()
    {
        var time = new FakeTimeProvider();
        using var timeouts = new UpstreamTimeouts(Headers, Idle, time, CancellationToken.None);
        timeouts.StartHeaders();

        // A long download from a fast upstream to a slow client: every read finds its bytes there, one every 100 s.
        for (int i = 0; i < 30; i++)
        {
            time.Advance(TimeSpan.FromSeconds(100));
            timeouts.Progressed();
        }

        Assert.False(timeouts.Token.IsCancellationRequested);
        // Once it stops, the idle timeout strikes.
        time.Advance(Idle);
        Assert.True(timeouts.TimedOut);
    }

    [Fact]
    public void ClientGone_Cancelled_NotATimeout()
    {
        using var client = new CancellationTokenSource();
        using var timeouts = new UpstreamTimeouts(Headers, Idle, new FakeTimeProvider(), client.Token);

        client.Cancel();

        Assert.True(timeouts.Token.IsCancellationRequested);
        Assert.False(timeouts.TimedOut);
    }
}
