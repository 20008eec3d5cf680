using System.Net;
using ApiKeys.Gateway.Hosting;
using ApiKeys.Http;
using ApiKeys.Http.Classification;
using Microsoft.Extensions.Options;

namespace ApiKeys.Gateway.Forwarding;

/// <summary>
/// The way upstream: one <see cref="SocketsHttpHandler"/> (its connection pool shared by every route), and per API an
/// <see cref="ApiKeyHandler"/> over it that picks a key, sends it in that API's header, reads errors and retries on another
/// key. Retries happen before response headers reach the client, the only place a retry is safe.
/// </summary>
/// <remarks>
/// An <see cref="HttpMessageInvoker"/>, not an <see cref="HttpClient"/>: it returns as soon as the response headers are
/// read and never buffers the body (what <c>HttpCompletionOption.ResponseHeadersRead</c> asks of HttpClient), and it has
/// no <c>HttpClient.Timeout</c> (100 s by default, fatal to slow thinking models): the gateway's own timeouts apply.
/// </remarks>
internal sealed class UpstreamClient : IDisposable
{
    private readonly SocketsHttpHandler _sockets;
    private readonly HttpMessageInvoker _pool;
    private readonly HttpMessageInvoker _gemini;
    private readonly HttpMessageInvoker _openAi;

    /// <summary>Builds the handlers for <paramref name="backend"/>'s pool.</summary>
    public UpstreamClient(GatewayBackend backend, IOptions<GatewayOptions> options, ILoggerFactory loggers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(backend);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var o = options.Value;
        _sockets = new SocketsHttpHandler
        {
            ConnectTimeout = o.ConnectTimeout,
            AutomaticDecompression = DecompressionMethods.None,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            EnableMultipleHttp2Connections = true,
        };
        _pool = new HttpMessageInvoker(_sockets, disposeHandler: false);
        Classifier = new GeminiResponseClassifier(time);
        var logger = loggers.CreateLogger<ApiKeyHandler>();
        _gemini = Chain(backend, Handler(o), logger, time);
        // Google's OpenAI-compatible endpoint: the key as Bearer, answers read as Gemini's (also wrapped in a JSON array).
        _openAi = Chain(backend, Handler(o).UseGeminiOpenAICompatibility(), logger, time);
    }

    /// <summary>Reads upstream errors to name their kind for the client.</summary>
    public IResponseClassifier Classifier { get; }

    /// <summary>Sends <paramref name="request"/> with a key of the pool, or the one its <see cref="PinnedKey"/> names (the API's way of carrying it).</summary>
    public Task<HttpResponseMessage> SendAsync(RouteFlavor flavor, HttpRequestMessage request, CancellationToken cancellationToken) =>
        (flavor == RouteFlavor.OpenAi ? _openAi : _gemini).SendAsync(request, cancellationToken);

    /// <summary>Closes the connections.</summary>
    public void Dispose()
    {
        _gemini.Dispose();
        _openAi.Dispose();
        _pool.Dispose();
        _sockets.Dispose();
    }

    /// <summary>
    /// The handler's options for Gemini's own API (the key in <c>x-goog-api-key</c>). The model is the one the gateway
    /// decided (from the path, or the body on the OpenAI-compatible routes) and checked the client's token against: the
    /// lease is taken for that same model, and the body is not scanned a second time.
    /// </summary>
    private static ApiKeyHandlerOptions Handler(GatewayOptions o) => new()
    {
        MaxAttempts = o.MaxAttempts,
        BaseBackoff = o.RetryBackoff,
        WhenNoKey = NoKeyBehavior.Throw,
        BufferRequestContent = true,
        ModelSelector = static request => request.Options.TryGetValue(ForwardContext.OptionKey, out var context) ? context.Model : null,
    };

    private HttpMessageInvoker Chain(GatewayBackend backend, ApiKeyHandlerOptions handlerOptions, ILogger<ApiKeyHandler> logger, TimeProvider time) =>
        new(new ApiKeyHandler(backend.Pool, new AttemptRecorder(_pool), handlerOptions, logger, time), disposeHandler: true);
}
