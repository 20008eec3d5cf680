using System.Text;
using Microsoft.AspNetCore.Http;

namespace ApiKeys.TestSupport;

/// <summary>The answers a gateway in front of the fake needs: streams with pauses and drops, slow headers, OpenAI's shapes.</summary>
public sealed partial class FakeReply
{
    /// <summary>Where the server leaves the request body for the reply (<see cref="HttpContext.Items"/>).</summary>
    public const string BodyItem = "fake.body";

    public const string OpenAiModelsJson = """{"object":"list","data":[{"id":"models/gemini-2.5-flash","object":"model","created":0,"owned_by":"google"},{"id":"models/gemini-2.5-pro","object":"model","created":0,"owned_by":"google"}]}""";

    public const string OpenAiEmbeddingsJson = """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2,0.3]}],"model":"gemini-embedding-001","usage":{"prompt_tokens":2,"total_tokens":2}}""";

    public const string EmbedJson = """{"embedding":{"values":[0.1,0.2,0.3]}}""";

    public const string BatchEmbedJson = """{"embeddings":[{"values":[0.1,0.2,0.3]}]}""";

    /// <summary>The words of the default streams, one per chunk.</summary>
    public static readonly string[] StreamWords = ["Hello", " from", " the", " fake", " stream"];

    /// <summary>What the real API answers on <paramref name="path"/> (a success of the right shape).</summary>
    public static FakeReply ByRoute(string method, string path, string body)
    {
        return path switch
        {
            _ when path.StartsWith("/upload/", StringComparison.Ordinal) && path.EndsWith("/files", StringComparison.Ordinal) => FilesUpload(),
            _ when method == "POST" && path.EndsWith("/cachedContents", StringComparison.Ordinal) =>
                Ok("{\"name\":\"cachedContents/c" + Guid.NewGuid().ToString("N")[..10] + "\",\"model\":\"models/gemini-2.5-flash\",\"expireTime\":\""
                    + DateTimeOffset.UtcNow.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture) + "\"}"),
            _ when path.EndsWith("/openai/chat/completions", StringComparison.Ordinal) => OpenAIChat(body),
            _ when path.EndsWith("/openai/embeddings", StringComparison.Ordinal) => Ok(OpenAiEmbeddingsJson),
            _ when path.Contains("/openai/models", StringComparison.Ordinal) => Ok(OpenAiModelsJson),
            _ when path.EndsWith(":streamGenerateContent", StringComparison.Ordinal) => GeminiStream(StreamWords),
            _ when path.EndsWith(":batchEmbedContents", StringComparison.Ordinal) => Ok(BatchEmbedJson),
            _ when path.EndsWith(":embedContent", StringComparison.Ordinal) => Ok(EmbedJson),
            _ when path.EndsWith(":countTokens", StringComparison.Ordinal) => Ok("""{"totalTokens":5}"""),
            _ when method == "GET" && path.EndsWith("/models", StringComparison.Ordinal) => Models(),
            _ when method == "GET" && path.Contains("/models/", StringComparison.Ordinal) => Ok("""{"name":"models/gemini-2.5-flash","displayName":"Gemini 2.5 Flash"}"""),
            _ => Ok(),
        };
    }

    /// <summary>
    /// The Files API's uploads: a resumable start answers with the address to upload to (this server's, with an
    /// <c>upload_id</c>); the upload to that address, or a one-part upload, answers with the new file.
    /// </summary>
    public static FakeReply FilesUpload() => new("files upload", async ctx =>
    {
        var request = ctx.Request;
        if (!request.Query.ContainsKey("upload_id") && request.Headers["X-Goog-Upload-Command"] == "start")
        {
            string address = $"{request.Scheme}://{request.Host}{request.Path}?upload_id=up-{Guid.NewGuid():N}&upload_protocol=resumable";
            ctx.Response.Headers["x-goog-upload-url"] = address;
            ctx.Response.Headers["x-goog-upload-status"] = "active";
            ctx.Response.StatusCode = 200;
            return;
        }

        string name = "files/f" + Guid.NewGuid().ToString("N")[..10];
        ctx.Response.Headers["x-goog-upload-status"] = "final";
        await Ok("{\"file\":{\"name\":\"" + name + "\",\"uri\":\"" + $"{request.Scheme}://{request.Host}/v1beta/" + name + "\",\"state\":\"ACTIVE\",\"mimeType\":\"text/plain\"}}").Write(ctx);
    });

    /// <summary>A Gemini stream (<c>alt=sse</c>): one chunk per word, <paramref name="gap"/> apart, each flushed.</summary>
    public static FakeReply GeminiStream(string[] words, TimeSpan gap = default) =>
        Events("gemini stream", [.. words.Select((w, i) => GeminiChunk(w, last: i == words.Length - 1))], gap);

    /// <summary>An OpenAI chat stream for <paramref name="model"/>: one chunk per word, <paramref name="gap"/> apart, then <c>[DONE]</c>.</summary>
    public static FakeReply OpenAiStream(string[] words, TimeSpan gap = default, string model = "gemini-2.5-flash") =>
        Events("openai stream", [.. words.Select((w, i) => OpenAiChunk(w, i, last: i == words.Length - 1, model)), "[DONE]"], gap);

    /// <summary>Server-sent events, <paramref name="gap"/> apart; <paramref name="dropAfter"/> events in (and a gap later), the connection is cut.</summary>
    public static FakeReply Events(string name, string[] events, TimeSpan gap = default, int? dropAfter = null) => new(name, async ctx =>
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/event-stream";
        for (int i = 0; i < events.Length; i++)
        {
            if (i > 0 && gap > TimeSpan.Zero)
            {
                await Task.Delay(gap, ctx.RequestAborted);
            }

            if (i == dropAfter)
            {
                // A reset discards what the peer has not read yet: the gap lets the events before it arrive first.
                ctx.Abort();
                return;
            }

            await ctx.Response.WriteAsync("data: " + events[i] + "\n\n", ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        }
    });

    /// <summary>Waits <paramref name="delay"/> before any header; <paramref name="aborted"/> completes if the caller goes away first.</summary>
    public static FakeReply SlowHeaders(TimeSpan delay, FakeReply then, TaskCompletionSource? aborted = null) => new("slow headers", async ctx =>
    {
        try
        {
            await Task.Delay(delay, ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            aborted?.TrySetResult();
            return;
        }

        await then.Write(ctx);
    });

    /// <summary>An error of tests/Fixtures/gemini-errors wrapped in a JSON array, as Google's OpenAI-compatible endpoint sends them.</summary>
    public static FakeReply ErrorArray(string file) => Json(ErrorFiles.Status(file), "[" + ErrorFiles.Read(file) + "]", file + " (array)");

    /// <summary><paramref name="then"/> with extra response headers (set before it writes).</summary>
    public static FakeReply WithHeaders(FakeReply then, params (string Name, string Value)[] headers) => new(then.Name + " with headers", async ctx =>
    {
        foreach (var (name, value) in headers)
        {
            ctx.Response.Headers.Append(name, value);
        }

        await then.Write(ctx);
    });

    /// <summary>
    /// <paramref name="json"/> with its <c>Content-Length</c> (not chunked), as a plain JSON answer may come; with
    /// <paramref name="cutAfter"/>, only that many bytes are sent before the connection is cut (the length still announced whole).
    /// </summary>
    public static FakeReply Fixed(string json, int? cutAfter = null) => new(cutAfter is null ? "fixed length" : "fixed length, cut", async ctx =>
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json; charset=UTF-8";
        ctx.Response.ContentLength = bytes.Length;
        if (cutAfter is not { } cut)
        {
            await ctx.Response.Body.WriteAsync(bytes, ctx.RequestAborted);
            return;
        }

        await ctx.Response.Body.WriteAsync(bytes.AsMemory(0, cut), ctx.RequestAborted);
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        await Task.Delay(200, ctx.RequestAborted);
        ctx.Abort();
    });

    /// <summary>Echoes what the fake saw (method, path, query, the body's length) as JSON, so a test can compare bytes.</summary>
    public static FakeReply Echo() => new("echo", async ctx =>
    {
        string body = ctx.Items[BodyItem] as string ?? "";
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/octet-stream";
        await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
    });

    public static string GeminiChunk(string text, bool last) =>
        "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}],\"role\":\"model\"}" + (last ? ",\"finishReason\":\"STOP\"" : "") +
        ",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":5,\"totalTokenCount\":8},\"modelVersion\":\"gemini-2.5-flash\"}";

    public static string OpenAiChunk(string text, int index, bool last, string model = "gemini-2.5-flash") =>
        "{\"id\":\"chatcmpl-fake\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":" + System.Text.Json.JsonSerializer.Serialize(model) + ",\"choices\":[{\"index\":0,\"delta\":{" +
        (index == 0 ? "\"role\":\"assistant\"," : "") + "\"content\":\"" + text + "\"},\"finish_reason\":" + (last ? "\"stop\"" : "null") + "}]}";
}
