using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ApiKeys.Usage.Benchmarks;

/// <summary>A local upstream answering every request as generateContent does, with usageMetadata (the load test's far end).</summary>
internal static class Upstream
{
    private const string Json = """{"candidates":[{"content":{"parts":[{"text":"Hello from the bench"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":20,"totalTokenCount":30},"modelVersion":"gemini-2.5-flash"}""";

    public static async Task<int> RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.Run(async ctx =>
        {
            await ctx.Request.Body.CopyToAsync(Stream.Null);
            ctx.Response.ContentType = "application/json; charset=UTF-8";
            await ctx.Response.WriteAsync(Json);
        });
        Console.WriteLine($"upstream on http://127.0.0.1:{port}/");
        await app.RunAsync();
        return 0;
    }
}
