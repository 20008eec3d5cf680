using ApiKeys.Keys;
using ApiKeys.Pool;
using ApiKeys.Storage;
using ApiKeys.Tests.Support;

namespace ApiKeys.Tests.Storage;

public sealed class KeyStateCodecTests
{
    [Fact]
    public void EncodeDecode_FullState_RoundTripsWithoutTheSecret()
    {
        string id = KeyIds.For(TestKeys.Gemini(1));
        var at = new DateTimeOffset(2026, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var state = KeyStatePolicy.Apply(KeyState.Empty, KeyOutcome.Failed(KeyFailure.RateLimited(TimeSpan.FromMinutes(1), RateLimitScope.Minute, "m")), at,
            new ApiKeyManagerOptions(), 0.5).State with { TotalSuccesses = 7 };

        string json = KeyStateCodec.Encode(id, state);
        var back = KeyStateCodec.Decode(id, json, "test");

        Assert.DoesNotContain(TestKeys.Gemini(1), json, StringComparison.Ordinal);
        Assert.Equal((7L, 1L), (back.TotalSuccesses, back.TotalFailures));
        Assert.Equal(state.Models["m"], back.Models["m"]);
        Assert.Equal(KeyState.Empty, KeyStateCodec.Decode(KeyIds.For(TestKeys.Gemini(2)), json, "test"));
    }

    [Fact]
    public void Decode_NotAStatesDocument_ThrowsNamingTheSource()
    {
        var e = Assert.Throws<KeyStoreException>(() => KeyStateCodec.Decode("k_000000000000", "[1, 2]", "redis state of k_000000000000"));

        Assert.Contains("redis state of k_000000000000", e.Message, StringComparison.Ordinal);
    }
}
