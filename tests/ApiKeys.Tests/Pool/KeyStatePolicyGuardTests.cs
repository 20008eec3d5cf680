using ApiKeys.Pool;

namespace ApiKeys.Tests.Pool;

/// <summary>The guard's two rules both pools use (<see cref="KeyStatePolicy.TakesOut"/>, <see cref="KeyStatePolicy.RestoreExcused"/>).</summary>
public sealed class KeyStatePolicyGuardTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(KeyEffect.Cooling, true)]
    [InlineData(KeyEffect.ModelCooling, true)]
    [InlineData(KeyEffect.ModelDisabled, true)]
    [InlineData(KeyEffect.Disabled, true)]
    [InlineData(KeyEffect.None, false)]
    [InlineData(KeyEffect.Strike, false)]
    public void TakesOut_CooldownsAndDisablesOnly(KeyEffect effect, bool takesOut) =>
        Assert.Equal(takesOut, KeyStatePolicy.TakesOut(effect));

    [Fact]
    public void RestoreExcused_TheExcusedStateWithTheCurrentTotalsAndLastUse()
    {
        var excused = new KeyState { Failures = 0, CooldownLevel = 0, BlockedUntil = T0.AddSeconds(30), TotalSuccesses = 1, TotalFailures = 1, UpdatedAt = T0 };
        var current = new KeyState
        {
            Failures = 2, CooldownLevel = 3, TotalSuccesses = 40, TotalFailures = 7, LastUsed = T0.AddSeconds(5), LastFailed = T0.AddSeconds(4),
            LastError = new KeyError(FailureKind.RateLimited, "503", T0.AddSeconds(4)), UpdatedAt = T0.AddSeconds(5),
        };

        var restored = KeyStatePolicy.RestoreExcused(excused, current, T0.AddSeconds(6));

        Assert.Equal((0, 0, T0.AddSeconds(30)), (restored.Failures, restored.CooldownLevel, restored.BlockedUntil));
        Assert.Equal((40L, 7L, T0.AddSeconds(5), T0.AddSeconds(4)), (restored.TotalSuccesses, restored.TotalFailures, restored.LastUsed, restored.LastFailed));
        Assert.Equal(current.LastError, restored.LastError);
        Assert.Equal(T0.AddSeconds(6), restored.UpdatedAt);
    }
}
