using System.Net;
using ApiKeys;
using ApiKeys.Http;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ApiKeys.Benchmarks;

/// <summary>
/// The handler's overhead: one generateContent round trip to a fake Gemini (Kestrel on loopback) with a plain HttpClient,
/// and with ApiKeyHandler over a pool of 4 keys (lease, header, report).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
#pragma warning disable CA1001 // The fields are disposed in [GlobalCleanup], BenchmarkDotNet's teardown.
public class HttpHandlerBenchmarks
#pragma warning restore CA1001
{
    private const string Answer = """{"candidates":[{"content":{"parts":[{"text":"Hello"}],"role":"model"},"finishReason":"STOP"}]}""";
    private static readonly byte[] Request = """{"contents":[{"parts":[{"text":"hi"}]}]}"""u8.ToArray();

    private WebApplication _server = null!;
    private HttpClient _plain = null!;
    private HttpClient _withHandler = null!;
    private ApiKeyManager _pool = null!;

    [GlobalSetup]
    public void Setup()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _server = builder.Build();
        _server.Run(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(Answer);
        });
        _server.StartAsync().GetAwaiter().GetResult();
        var address = new Uri(_server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        _pool = new ApiKeyManager(Enumerable.Range(0, 4).Select(i => "AIzaSyBENCH" + i.ToString("D28", System.Globalization.CultureInfo.InvariantCulture)));
        _plain = new HttpClient(new SocketsHttpHandler()) { BaseAddress = address };
        _withHandler = new HttpClient(new ApiKeyHandler(_pool, new SocketsHttpHandler())) { BaseAddress = address };
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _plain.Dispose();
        _withHandler.Dispose();
        _pool.Dispose();
        _server.StopAsync().GetAwaiter().GetResult();
    }

    [Benchmark(Baseline = true)]
    public Task<string> PlainHttpClient() => SendAsync(_plain, withKey: true);

    [Benchmark]
    public Task<string> WithApiKeyHandler() => SendAsync(_withHandler, withKey: false);

    /// <summary>What the handler adds to a call, without the network: a lease and its report.</summary>
    [Benchmark]
    public string PoolLeaseOnly()
    {
        using var lease = _pool.Acquire("gemini-2.5-flash");
        lease.Succeeded();
        return lease.KeyId;
    }

    private static async Task<string> SendAsync(HttpClient client, bool withKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1beta/models/gemini-2.5-flash:generateContent") { Content = new ByteArrayContent(Request) };
        if (withKey)
        {
            // The plain client sends a fixed key the same way, so both send the same bytes.
            request.Headers.TryAddWithoutValidation("x-goog-api-key", "AIzaSyBENCH0000000000000000000000000000");
        }

        using var response = await client.SendAsync(request);
        return await response.Content.ReadAsStringAsync();
    }
}
