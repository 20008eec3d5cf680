using System.Text.Json;

namespace ApiKeys.TestSupport;

/// <summary>
/// Answers that carry token counts as the real APIs send them: Gemini's <c>usageMetadata</c> (in a stream, cumulative, the
/// last chunk complete) and OpenAI's <c>usage</c> (in a stream, a final chunk when <c>stream_options.include_usage</c>).
/// The counts are fixed, so a test knows exactly what a run must add up to.
/// </summary>
public sealed partial class FakeReply
{
    /// <summary>A generateContent answer's counts: prompt, candidates, cached, thoughts.</summary>
    public static readonly (int Prompt, int Output, int Cached, int Thoughts) GenerateUsage = (10, 20, 4, 6);

    /// <summary>A Gemini stream's final counts (earlier chunks carry smaller, partial ones).</summary>
    public static readonly (int Prompt, int Output, int Cached, int Thoughts) StreamUsage = (7, 9, 0, 2);

    /// <summary>An OpenAI chat completion's counts: prompt, completion, cached, reasoning.</summary>
    public static readonly (int Prompt, int Output, int Cached, int Thoughts) ChatUsage = (11, 13, 2, 5);

    /// <summary>An OpenAI chat stream's final usage chunk (with <c>include_usage</c>).</summary>
    public static readonly (int Prompt, int Output, int Cached, int Thoughts) ChatStreamUsage = (5, 8, 0, 0);

    /// <summary>The model whose requests the fake refuses as a bad request (400 INVALID_ARGUMENT: no retry, no strike).</summary>
    public const string BadModel = "gemini-bad-request";

    public const string GenerateWithUsageJson =
        """{"candidates":[{"content":{"parts":[{"text":"Hello \"usageMetadata\": {\"promptTokenCount\": 999}"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":20,"totalTokenCount":40,"cachedContentTokenCount":4,"promptTokensDetails":[{"modality":"TEXT","tokenCount":10}],"thoughtsTokenCount":6},"modelVersion":"gemini-2.5-flash","responseId":"fake"}""";

    /// <summary>Answers every route as the real API would, with token counts (<see cref="GenerateUsage"/> and the others).</summary>
    public static FakeReply WithUsage() => new("with usage", ctx =>
    {
        string path = ctx.Request.Path.Value ?? "";
        string body = ctx.Items[BodyItem] as string ?? "";
        if (path.Contains(BadModel, StringComparison.Ordinal) || body.Contains(BadModel, StringComparison.Ordinal))
        {
            return Error("400-invalid-argument-request").Write(ctx);
        }

        if (path.EndsWith(":generateContent", StringComparison.Ordinal))
        {
            return Ok(GenerateWithUsageJson).Write(ctx);
        }

        if (path.EndsWith(":streamGenerateContent", StringComparison.Ordinal))
        {
            return Events("gemini stream with usage",
            [
                """{"candidates":[{"content":{"parts":[{"text":"Hel"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":7,"totalTokenCount":7}}""",
                """{"candidates":[{"content":{"parts":[{"text":"lo"}],"role":"model"},"index":0}],"usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":3,"totalTokenCount":10}}""",
                """{"candidates":[{"content":{"parts":[{"text":"!"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":7,"candidatesTokenCount":9,"totalTokenCount":18,"thoughtsTokenCount":2}}""",
            ]).Write(ctx);
        }

        if (path.EndsWith("/openai/chat/completions", StringComparison.Ordinal))
        {
            return OpenAIChatWithUsage(body).Write(ctx);
        }

        return ByRoute(ctx.Request.Method, path, body).Write(ctx);
    });

    private static FakeReply OpenAIChatWithUsage(string requestBody)
    {
        using var request = JsonDocument.Parse(requestBody);
        bool stream = request.RootElement.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        if (!stream)
        {
            return Json(200, """{"id":"chatcmpl-fake","object":"chat.completion","created":1773172800,"model":"gemini-2.5-flash","choices":[{"index":0,"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":11,"completion_tokens":13,"total_tokens":24,"prompt_tokens_details":{"cached_tokens":2},"completion_tokens_details":{"reasoning_tokens":5}}}""");
        }

        return Events("openai stream with usage",
        [
            """{"id":"c","object":"chat.completion.chunk","created":1,"model":"gemini-2.5-flash","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}],"usage":null}""",
            """{"id":"c","object":"chat.completion.chunk","created":1,"model":"gemini-2.5-flash","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}""",
            """{"id":"c","object":"chat.completion.chunk","created":1,"model":"gemini-2.5-flash","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":8,"total_tokens":13}}""",
            "[DONE]",
        ]);
    }
}
