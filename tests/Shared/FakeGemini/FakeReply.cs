using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ApiKeys.TestSupport;

/// <summary>One scripted answer of the fake Gemini server.</summary>
public sealed partial class FakeReply
{
    private FakeReply(string name, Func<HttpContext, Task> write)
    {
        Name = name;
        Write = write;
    }

    public string Name { get; }

    public Func<HttpContext, Task> Write { get; }

    public const string SuccessJson = """{"candidates":[{"content":{"parts":[{"text":"Hello from the fake"}],"role":"model"},"finishReason":"STOP"}]}""";

    public const string ModelsJson = """{"models":[{"name":"models/gemini-2.5-flash"},{"name":"models/gemini-2.5-pro"}]}""";

    public static FakeReply Ok(string json = SuccessJson) => Json(200, json, "ok");

    public static FakeReply Models() => Json(200, ModelsJson, "models");

    public static FakeReply Json(int status, string json, string? name = null, string? retryAfter = null) => new(name ?? $"json {status}", async ctx =>
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json; charset=UTF-8";
        if (retryAfter is not null)
        {
            ctx.Response.Headers.RetryAfter = retryAfter;
        }

        await ctx.Response.WriteAsync(json);
    });

    /// <summary>A file of shared/gemini-errors with the status of its name.</summary>
    public static FakeReply Error(string file, string? retryAfter = null) => Json(ErrorFiles.Status(file), ErrorFiles.Read(file), file, retryAfter);

    public static FakeReply Html(int status = 502) => new($"html {status}", async ctx =>
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html";
        await ctx.Response.WriteAsync("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>");
    });

    public static FakeReply Empty(int status) => new($"empty {status}", ctx =>
    {
        ctx.Response.StatusCode = status;
        return Task.CompletedTask;
    });

    /// <summary>Server-sent events; after the first event, waits for <paramref name="gate"/> (if any) before the rest.</summary>
    public static FakeReply Sse(string[] events, Task? gate = null) => new("sse", async ctx =>
    {
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "text/event-stream";
        for (int i = 0; i < events.Length; i++)
        {
            if (i == 1 && gate is not null)
            {
                await gate.WaitAsync(TimeSpan.FromSeconds(30));
            }

            await ctx.Response.WriteAsync("data: " + events[i] + "\r\n\r\n");
            await ctx.Response.Body.FlushAsync();
        }
    });

    /// <summary>Answers only once <paramref name="gate"/> completes (or the client goes away).</summary>
    public static FakeReply Slow(Task gate, FakeReply then) => new("slow", async ctx =>
    {
        try
        {
            await gate.WaitAsync(ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await then.Write(ctx);
    });

    /// <summary>Drops the connection without an answer.</summary>
    public static FakeReply Drop() => new("drop", ctx =>
    {
        ctx.Abort();
        return Task.CompletedTask;
    });

    /// <summary>The text every fake chat completion answers with.</summary>
    public const string ChatText = "Hello from the fake";

    /// <summary>
    /// A chat completion of the OpenAI-compatible endpoint for <paramref name="requestBody"/>: the model it names echoed,
    /// one JSON object (<see cref="ChatText"/>), or (<c>"stream": true</c>) one chunk per word of
    /// <see cref="StreamWords"/> as server-sent events ending with <c>[DONE]</c>.
    /// </summary>
    public static FakeReply OpenAIChat(string requestBody)
    {
        using var request = JsonDocument.Parse(requestBody);
        string model = request.RootElement.TryGetProperty("model", out var m) ? m.GetString() ?? "" : "";
        bool stream = request.RootElement.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        if (stream)
        {
            return OpenAiStream(StreamWords, model: model);
        }

        string head = "\"id\":\"chatcmpl-fake-1\",\"created\":1773172800,\"model\":" + JsonSerializer.Serialize(model);
        return Json(200, "{" + head + ",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
            + ChatText + "\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"total_tokens\":7}}", "openai chat");
    }

    public static string GenerateBody(string text) =>
        "{\"contents\":[{\"parts\":[{\"text\":\"" + text + "\"}]}]}";

    public override string ToString() => Name;
}
