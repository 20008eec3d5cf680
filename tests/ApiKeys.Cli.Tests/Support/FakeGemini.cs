using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ApiKeys.Cli.Tests.Support;

/// <summary>
/// A minimal local fake of the Gemini API on 127.0.0.1 (HttpListener, so the test project needs no ASP.NET: the real
/// tool is started from the test output with the plain .NET runtime). Answers each key with its scripted reply (a file
/// of shared/gemini-errors), else the model list; records every request. The HTTP tests' FakeGeminiServer is the
/// fuller one.
/// </summary>
internal sealed class FakeGemini : IDisposable
{
    private const string ModelsJson = """{"models":[{"name":"models/gemini-2.5-flash"}]}""";
    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, string> _errors = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public FakeGemini()
    {
        // A free port is probed, then bound: another test may take it in between, so try a few.
        for (int attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                _listener = listener;
                BaseAddress = $"http://127.0.0.1:{port}/";
                break;
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }

        _loop = Task.Run(ServeAsync);
    }

    public string BaseAddress { get; }

    /// <summary>The paths asked, in order (never the keys: test output is scanned for them).</summary>
    public ConcurrentQueue<string> Paths { get; } = new();

    public static string ErrorsDirectory => Path.Combine(AppContext.BaseDirectory, "gemini-errors");

    /// <summary>Answers <paramref name="key"/> with the error file <paramref name="file"/> (its status is the name's prefix).</summary>
    public void Fail(string key, string file) => _errors[key] = file;

    public void Dispose()
    {
        try
        {
            _listener.Stop();
            _listener.Close();
        }
        catch (HttpListenerException)
        {
            // The managed listener may fail to unbind when another test took the port meanwhile: it is closed anyway.
        }

        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext ctx;
            try
            {
                ctx = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            Paths.Enqueue(ctx.Request.Url!.AbsolutePath);
            string key = ctx.Request.Headers["x-goog-api-key"] ?? "";
            int status = 200;
            string body = ModelsJson;
            if (_errors.TryGetValue(key, out var file))
            {
                status = int.Parse(file[..3], System.Globalization.CultureInfo.InvariantCulture);
                body = await File.ReadAllTextAsync(Path.Combine(ErrorsDirectory, file + ".json"));
            }

            var bytes = Encoding.UTF8.GetBytes(body);
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json; charset=UTF-8";
            ctx.Response.ContentLength64 = bytes.Length;
            await ctx.Response.OutputStream.WriteAsync(bytes);
            ctx.Response.Close();
        }
    }
}
