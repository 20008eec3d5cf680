using ApiKeys.Http.Usage;
using ApiKeys.Pool;

namespace ApiKeys.Usage.Tests.Support;

public static class Records
{
    public static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    public static UsageRecord Success(DateTimeOffset at, string key = "k_aaaaaaaaaaaa", string token = "ci", string model = "gemini-2.5-flash", int input = 10, int output = 20) => new()
    {
        Timestamp = at,
        Route = "generateContent",
        TokenName = token,
        Model = model,
        KeyId = key,
        Status = 200,
        Outcome = UsageOutcomes.Success,
        Attempts = 1,
        Latency = TimeSpan.FromMilliseconds(120),
        TimeToFirstByte = TimeSpan.FromMilliseconds(80),
        InputTokens = input,
        OutputTokens = output,
        CachedTokens = 2,
        ThinkingTokens = 3,
    };

    public static UsageRecord RateLimited(DateTimeOffset at, string key = "k_bbbbbbbbbbbb", string token = "ci") => new()
    {
        Timestamp = at,
        Route = "generateContent",
        TokenName = token,
        Model = "gemini-2.5-flash",
        KeyId = key,
        Status = 429,
        Failure = FailureKind.RateLimited,
        Outcome = UsageOutcomes.Of(FailureKind.RateLimited),
        Attempts = 3,
        Latency = TimeSpan.FromMilliseconds(3000),
    };
}
