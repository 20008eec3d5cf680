using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiKeys.TestSupport;

/// <summary>
/// A local fake of the Gemini API: real Kestrel on 127.0.0.1 with a random port, answering each key from its script
/// (then as the real API would by route: <see cref="FakeReply.ByRoute"/>; on the OpenAI-compatible
/// <c>/v1beta/openai/chat/completions</c>, a chat completion echoing the model the request names, streamed as server-sent
/// events when the request says <c>"stream": true</c>: <see cref="FakeReply.OpenAIChat"/>), and recording every request.
/// </summary>
public sealed class FakeGeminiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FakeReply>> _scripts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, FakeReply> _always = new(StringComparer.Ordinal);

    private FakeGeminiServer(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static async Task<FakeGeminiServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeGeminiServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseAddress = new Uri(address.EndsWith('/') ? address : address + "/");
        return server;
    }

    /// <summary>Answers <paramref name="key"/> with <paramref name="replies"/> in order, then with the default.</summary>
    public FakeGeminiServer Script(string key, params FakeReply[] replies)
    {
        var queue = _scripts.GetOrAdd(key, _ => new ConcurrentQueue<FakeReply>());
        foreach (var reply in replies)
        {
            queue.Enqueue(reply);
        }

        return this;
    }

    /// <summary>Answers <paramref name="key"/> always with <paramref name="reply"/> once its script is used up.</summary>
    public FakeGeminiServer Always(string key, FakeReply reply)
    {
        _always[key] = reply;
        return this;
    }

    /// <summary>Forgets every script (a fixture shared by several tests starts each one clean).</summary>
    public void Reset()
    {
        _scripts.Clear();
        _always.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        string? key = ctx.Request.Headers["x-goog-api-key"].FirstOrDefault();
        string? auth = ctx.Request.Headers.Authorization.FirstOrDefault();
        string? custom = ctx.Request.Headers["x-api-key"].FirstOrDefault();
        string body;
        using (var reader = new StreamReader(ctx.Request.Body))
        {
            body = await reader.ReadToEndAsync();
        }

        string path = ctx.Request.Path.Value ?? "";
        ctx.Items[FakeReply.BodyItem] = body;
        Requests.Enqueue(new RecordedRequest(ctx.Request.Method, path, ctx.Request.QueryString.Value ?? "", key, auth, custom, body)
        {
            Headers = ctx.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
        });
        string who = key ?? custom ?? auth?.Replace("Bearer ", "", StringComparison.Ordinal) ?? "";
        FakeReply reply;
        if (_scripts.TryGetValue(who, out var queue) && queue.TryDequeue(out var next))
        {
            reply = next;
        }
        else if (_always.TryGetValue(who, out var always))
        {
            reply = always;
        }
        else
        {
            reply = FakeReply.ByRoute(ctx.Request.Method, path, body);
        }

        await reply.Write(ctx);
    }
}

/// <summary>What the fake server saw.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, string? GoogKey, string? Authorization, string? CustomKey, string Body)
{
    /// <summary>Every request header by name (values joined by commas); it holds the key: never print it.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Never prints the keys (test output is scanned for canaries).</summary>
    public override string ToString() => $"{Method} {Path}";
}
