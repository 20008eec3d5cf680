// The upstream of bench/gateway/run.sh, in place of Gemini: Kestrel on 127.0.0.1 (--port N; 0 picks a free one, printed
// as "listening on URL"), answering as fast as it can:
//   POST .../models/{model}:generateContent        a fixed JSON body (the size of a short real answer)
//   POST .../models/{model}:streamGenerateContent  ?chunks=N&gap=MS: N server-sent events, MS milliseconds apart, each flushed
//   POST .../models/gemini-failover:...            429 (google.rpc, RetryInfo 1 us) to the key in the file FAKE_FAIL_KEY_FILE
// The key is read from a 0600 file, never from the command line (ps shows arguments to every user).
using System.Globalization;
using System.Net;
using System.Text;

int port = args.Length == 2 && args[0] == "--port" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
string? failKey = Environment.GetEnvironmentVariable("FAKE_FAIL_KEY_FILE") is { Length: > 0 } file ? File.ReadAllText(file).Trim() : null;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(IPAddress.Loopback, port);
});
var app = builder.Build();
byte[] answer = Encoding.UTF8.GetBytes(Replies.Answer);
byte[] rateLimited = Encoding.UTF8.GetBytes(Replies.RateLimited);

app.Run(async http =>
{
    string path = http.Request.Path.Value ?? "";
    // The body is read whole, as a real server would, and dropped.
    await http.Request.Body.CopyToAsync(Stream.Null);
    if (failKey is not null && path.Contains("/models/gemini-failover:", StringComparison.Ordinal)
        && http.Request.Headers["x-goog-api-key"] == failKey)
    {
        http.Response.StatusCode = 429;
        http.Response.ContentType = "application/json; charset=UTF-8";
        http.Response.ContentLength = rateLimited.Length;
        await http.Response.Body.WriteAsync(rateLimited);
        return;
    }

    if (path.EndsWith(":streamGenerateContent", StringComparison.Ordinal))
    {
        int chunks = int.TryParse(http.Request.Query["chunks"], CultureInfo.InvariantCulture, out int c) ? c : 20;
        int gap = int.TryParse(http.Request.Query["gap"], CultureInfo.InvariantCulture, out int g) ? g : 50;
        http.Response.ContentType = "text/event-stream";
        for (int i = 0; i < chunks; i++)
        {
            if (i > 0)
            {
                await Task.Delay(gap, http.RequestAborted);
            }

            await http.Response.WriteAsync(Replies.Chunk(i, i == chunks - 1), http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }

        return;
    }

    http.Response.ContentType = "application/json; charset=UTF-8";
    http.Response.ContentLength = answer.Length;
    await http.Response.Body.WriteAsync(answer);
});

await app.StartAsync();
Console.WriteLine("listening on " + app.Urls.First());
await app.WaitForShutdownAsync();

/// <summary>The bodies the fake answers with.</summary>
internal static class Replies
{
    public const string Answer = """{"candidates":[{"content":{"parts":[{"text":"Hello! How can I help you today?"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":2,"candidatesTokenCount":9,"totalTokenCount":11},"modelVersion":"gemini-2.5-flash","responseId":"bench-0000"}""";

    /// <summary>A per-minute quota error whose retry delay is one microsecond: the key is back at once, so every request meets it again.</summary>
    public const string RateLimited = """{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerMinutePerProjectPerModel-FreeTier","quotaDimensions":{"location":"global","model":"gemini-failover"},"quotaValue":"10"}]},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"0.000001s"}]}}""";

    public static string Chunk(int i, bool last) => string.Create(CultureInfo.InvariantCulture,
        $"data: {{\"candidates\":[{{\"content\":{{\"parts\":[{{\"text\":\"chunk {i} \"}}],\"role\":\"model\"}}{(last ? ",\"finishReason\":\"STOP\"" : "")},\"index\":0}}],\"modelVersion\":\"gemini-2.5-flash\"}}\r\n\r\n");
}
