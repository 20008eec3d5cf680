using ApiKeys.Pool;

namespace ApiKeys.Http.Usage;

/// <summary>
/// What one request cost and how it ended: who (the client token's name, never the token), the route, the model, the key's
/// id (never the key), the status and outcome, retries, latency, time to first byte, and the tokens the API counted. Filled
/// in by <see cref="ApiKeyHandler"/> as the request goes (tokens as the response body passes), then handed to an
/// <see cref="IUsageSink"/>. Holds no secret and no body.
/// </summary>
public sealed class UsageRecord
{
    /// <summary>When the request started.</summary>
    public DateTimeOffset Timestamp { get; set; }

    /// <summary>The route (the gateway's name for it: <c>generateContent</c>, <c>chat/completions</c>), if known.</summary>
    public string? Route { get; set; }

    /// <summary>The client token's name (the gateway), if any.</summary>
    public string? TokenName { get; set; }

    /// <summary>The model, from the path or the body.</summary>
    public string? Model { get; set; }

    /// <summary>The id of the key of the last attempt (<c>k_...</c>).</summary>
    public string? KeyId { get; set; }

    /// <summary>The HTTP status the caller got; 0 when there was no response (no key, a network failure, a cancellation).</summary>
    public int Status { get; set; }

    /// <summary>How the request ended: <see cref="UsageOutcomes.Success"/>, a <see cref="FailureKind"/>'s name, or another of <see cref="UsageOutcomes"/>.</summary>
    public string Outcome { get; set; } = UsageOutcomes.Success;

    /// <summary>The kind of the upstream failure the caller got, if any.</summary>
    public FailureKind? Failure { get; set; }

    /// <summary>Attempts sent upstream (each with a key).</summary>
    public int Attempts { get; set; }

    /// <summary>Attempts after the first.</summary>
    public int Retries => Math.Max(0, Attempts - 1);

    /// <summary>From the start until the response body ended (or the request failed).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>From the start until the first byte of the response body.</summary>
    public TimeSpan? TimeToFirstByte { get; set; }

    /// <summary>Input (prompt) tokens: Gemini's <c>promptTokenCount</c>, OpenAI's <c>prompt_tokens</c> (both include cached ones).</summary>
    public long? InputTokens { get; set; }

    /// <summary>Output tokens: Gemini's <c>candidatesTokenCount</c>, OpenAI's <c>completion_tokens</c>.</summary>
    public long? OutputTokens { get; set; }

    /// <summary>Input tokens served from a cache: <c>cachedContentTokenCount</c>, <c>prompt_tokens_details.cached_tokens</c>.</summary>
    public long? CachedTokens { get; set; }

    /// <summary>Thinking tokens: <c>thoughtsTokenCount</c>, <c>completion_tokens_details.reasoning_tokens</c>.</summary>
    public long? ThinkingTokens { get; set; }

    /// <summary>Whether the request counts as a success.</summary>
    public bool IsSuccess => Outcome == UsageOutcomes.Success;

    /// <summary>Whether the request failed upstream or found no key (a rejection by the gateway or a cancellation is neither).</summary>
    public bool IsFailure => Failure is not null || Outcome == UsageOutcomes.NoKey;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Timestamp:O} {Route ?? "-"} {Model ?? "-"} token={TokenName ?? "-"} key={KeyId ?? "-"} {Status} {Outcome} retries={Retries} in={InputTokens} out={OutputTokens}";
}
