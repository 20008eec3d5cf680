using System.Text.Json;
using ApiKeys.Pool;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Tests.Storage;

/// <summary>Times come back from the store exactly as they went in (to the 100 ns tick), and "none" comes back as none.</summary>
public class StoredTimeTests
{
    [Fact]
    public void Reopen_TimesWithTicks_ComeBackExactly()
    {
        using var dir = new TempDirectory();
        var clock = new FakeTimeProvider(Pools.Start.AddTicks(1_234_567));
        DateTimeOffset added, failed;
        using (var pool = ApiKeyManager.Open(dir.Path, Pools.NoJitter(), timeProvider: clock))
        {
            pool.AddKey(TestKeys.Gemini(1));
            added = pool.Keys[0].AddedAt;
            clock.Advance(TimeSpan.FromTicks(98_765));
            pool.UpdateKeyStatus(TestKeys.Gemini(1), KeyFailure.RateLimited(TimeSpan.FromTicks(30 * TimeSpan.TicksPerSecond + 3), RateLimitScope.Minute, "m"));
            failed = clock.GetUtcNow();
        }

        using var reopened = ApiKeyManager.Open(dir.Path, timeProvider: clock);
        var state = reopened.GetStatus(TestKeys.Gemini(1))!.State;
        Assert.Equal(added, reopened.Keys[0].AddedAt);
        Assert.Equal(Pools.Start.AddTicks(1_234_567), added);
        Assert.Equal(failed, state.LastFailed);
        Assert.Equal(failed, state.LastUsed);
        Assert.Equal(failed + TimeSpan.FromTicks(30 * TimeSpan.TicksPerSecond + 3), state.Models["m"].Until);
    }

    [Fact]
    public void Save_NoFailureYet_LastFailedAndBlockedUntilNullNotZero()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(JsonKeyStore.KeysFileName), $"[\"{TestKeys.Gemini(1)}\"]");
        File.WriteAllText(dir.File(JsonKeyStore.StatesFileName), $"{{\"{TestKeys.Gemini(1)}\": {{\"blocked_until\": null, \"failures\": 0, \"last_failed\": null}}}}");
        using (var pool = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock()))
        {
            pool.UpdateKeyStatus(TestKeys.Gemini(1), success: true);
        }

        using var doc = JsonDocument.Parse(File.ReadAllBytes(dir.File(JsonKeyStore.StatesFileName)));
        var written = doc.RootElement.GetProperty("states").EnumerateObject().Single().Value;
        Assert.Equal(JsonValueKind.Null, written.GetProperty("last_failed").ValueKind);
        Assert.Equal(JsonValueKind.Null, written.GetProperty("blocked_until").ValueKind);
        using var reopened = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());
        Assert.Null(reopened.GetStatus(TestKeys.Gemini(1))!.State.LastFailed);
    }

    [Fact]
    public void Load_SeedFractionalSeconds_ReadExactly()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File(JsonKeyStore.KeysFileName), $"[\"{TestKeys.Gemini(1)}\"]");
        File.WriteAllText(dir.File(JsonKeyStore.StatesFileName), $"{{\"{TestKeys.Gemini(1)}\": {{\"blocked_until\": 1712345678.1234567, \"failures\": 1, \"last_failed\": 0}}}}");

        using var pool = ApiKeyManager.Open(dir.Path, timeProvider: Pools.Clock());

        var state = pool.GetStatus(TestKeys.Gemini(1))!.State;
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1712345678).AddTicks(1_234_567), state.BlockedUntil);
        Assert.Null(state.LastFailed);
    }
}
