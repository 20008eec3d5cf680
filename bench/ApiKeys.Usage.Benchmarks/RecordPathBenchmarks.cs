using System.Net;
using System.Text;
using ApiKeys.Http;
using ApiKeys.Http.Usage;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;

namespace ApiKeys.Usage.Benchmarks;

/// <summary>
/// What accounting adds to one request through <see cref="ApiKeyHandler"/>, the upstream being in memory (so the figures are
/// the handler's own): a real-shaped generateContent answer (JSON, ~1.3 KB) or stream (20 server-sent events), read to its
/// end by the caller, without accounting, with a sink that only counts (the meter, the body's tap and scanner, the record),
/// and into a <see cref="UsageStore"/> (the enqueue; its writer thread writes meanwhile).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
#pragma warning disable CA1001 // The fields are disposed in [GlobalCleanup], BenchmarkDotNet's teardown.
public class RecordPathBenchmarks
#pragma warning restore CA1001
{
    private static readonly Uri Generate = new("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent");

    private readonly byte[] _buffer = new byte[16 * 1024];
    private string _directory = null!;
    private ApiKeyManager _pool = null!;
    private UsageStore _store = null!;
    private HttpMessageInvoker _off = null!;
    private HttpMessageInvoker _counted = null!;
    private HttpMessageInvoker _stored = null!;

    /// <summary>The answer's shape.</summary>
    [Params("json", "sse")]
    public string Body { get; set; } = "json";

    public static int Run(string[] args)
    {
        BenchmarkSwitcher.FromTypes([typeof(RecordPathBenchmarks)]).Run(args);
        return 0;
    }

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("apikeys-record-bench-").FullName;
        _pool = new ApiKeyManager(Enumerable.Range(0, 4).Select(i => "AIzaSyBENCH" + i.ToString("D28", System.Globalization.CultureInfo.InvariantCulture)));
        _store = new UsageStore(_directory);
        byte[] body = Encoding.UTF8.GetBytes(Body == "json" ? Answers.Json : Answers.Stream);
        string type = Body == "json" ? "application/json; charset=UTF-8" : "text/event-stream";
        _off = Invoker(body, type, sink: null);
        _counted = Invoker(body, type, new CountingSink());
        _stored = Invoker(body, type, _store);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _off.Dispose();
        _counted.Dispose();
        _stored.Dispose();
        _store.Dispose();
        _pool.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "no accounting")]
    public Task<int> Off() => SendAsync(_off);

    [Benchmark(Description = "meter + tap + scanner + record")]
    public Task<int> Counted() => SendAsync(_counted);

    [Benchmark(Description = "... + UsageStore.Record")]
    public Task<int> Stored() => SendAsync(_stored);

    private HttpMessageInvoker Invoker(byte[] body, string type, IUsageSink? sink) =>
        new(new ApiKeyHandler(_pool, new CannedHandler(body, type), new ApiKeyHandlerOptions { UsageSink = sink }));

    private async Task<int> SendAsync(HttpMessageInvoker invoker)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Generate);
        using var response = await invoker.SendAsync(request, CancellationToken.None).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
        int total = 0, read;
        while ((read = await stream.ReadAsync(_buffer).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total;
    }

    private sealed class CountingSink : IUsageSink
    {
        public long Count { get; private set; }

        public void Record(UsageRecord record) => Count += record.InputTokens ?? 0;
    }

    /// <summary>The upstream, in memory: the same answer every time, its body streamed in chunks of at most 4 KB as sockets give them.</summary>
    private sealed class CannedHandler(byte[] body, string type) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var content = new StreamContent(new MemoryStream(body, writable: false), 4096);
            content.Headers.TryAddWithoutValidation("Content-Type", type);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request });
        }
    }
}
