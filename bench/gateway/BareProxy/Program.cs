// The floor for bench/gateway/run.sh: what the gateway's stack costs on its own. Kestrel and a minimal API take the request,
// buffer its body (as the gateway does), send it with SocketsHttpHandler to the upstream, and copy back the status, the
// content type and the body. No client token, no key, no retry, no log, no accounting, no metrics: the gateway's throughput
// over this one's is what its own work costs, on the same runtime.
//   BareProxy --upstream http://127.0.0.1:PORT --urls http://127.0.0.1:0
using System.Net;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.AddServerHeader = false);
var app = builder.Build();
var upstream = new Uri(app.Configuration["upstream"] ?? throw new InvalidOperationException("--upstream URL is required"));
using var client = new HttpMessageInvoker(new SocketsHttpHandler
{
    UseProxy = false,
    AllowAutoRedirect = false,
    AutomaticDecompression = DecompressionMethods.None,
    UseCookies = false,
    ActivityHeadersPropagator = null,
    ConnectTimeout = TimeSpan.FromSeconds(15),
});

app.Map("/{**path}", async (HttpContext http) =>
{
    using var body = new MemoryStream();
    await http.Request.Body.CopyToAsync(body, http.RequestAborted);
    using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), new Uri(upstream, http.Request.Path + http.Request.QueryString))
    {
        Content = new ByteArrayContent(body.GetBuffer(), 0, (int)body.Length),
    };
    if (http.Request.ContentType is { } type)
    {
        request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
    }

    using var response = await client.SendAsync(request, http.RequestAborted);
    http.Response.StatusCode = (int)response.StatusCode;
    http.Response.ContentType = response.Content.Headers.ContentType?.ToString();
    await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
});

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine("bare proxy listening on " + string.Join(", ", app.Urls)));
await app.RunAsync();
