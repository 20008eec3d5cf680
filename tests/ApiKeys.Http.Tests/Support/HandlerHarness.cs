using System.Text;
using ApiKeys.Pool;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Http.Tests.Support;

/// <summary>A real pool, a real HttpClient with the handler, the fake Gemini server, captured logs, fake time.</summary>
public sealed class HandlerHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 20, 0, 0, TimeSpan.Zero);

    private HandlerHarness(FakeGeminiServer server, ApiKeyManager pool, HttpClient client, FakeLogCollector logs, FakeTimeProvider time, string[] keys)
    {
        Server = server;
        Pool = pool;
        Client = client;
        Logs = logs;
        Time = time;
        Keys = keys;
    }

    public FakeGeminiServer Server { get; }

    public ApiKeyManager Pool { get; }

    public HttpClient Client { get; }

    public FakeLogCollector Logs { get; }

    public FakeTimeProvider Time { get; }

    public string[] Keys { get; }

    public static async Task<HandlerHarness> StartAsync(int keys = 3, Action<ApiKeyHandlerOptions>? configure = null,
        Action<ApiKeyManagerOptions>? configurePool = null, FakeTimeProvider? time = null)
    {
        var server = await FakeGeminiServer.StartAsync();
        time ??= new FakeTimeProvider(Start);
        var logs = new FakeLogCollector();
        var poolOptions = new ApiKeyManagerOptions { JitterRatio = 0, EnvironmentFaultGuard = false };
        configurePool?.Invoke(poolOptions);
        var secrets = TestKeys.Many(keys);
        var pool = new ApiKeyManager(secrets, poolOptions, logger: new FakeLogger<ApiKeyManager>(logs), timeProvider: time);
        var options = new ApiKeyHandlerOptions { BaseBackoff = TimeSpan.Zero };
        configure?.Invoke(options);
        var handler = new ApiKeyHandler(pool, new SocketsHttpHandler(), options, new FakeLogger<ApiKeyHandler>(logs), time);
        var client = new HttpClient(handler) { BaseAddress = server.BaseAddress };
        return new HandlerHarness(server, pool, client, logs, time, secrets);
    }

    public static HttpContent Body(string text = "hi") => new StringContent(FakeReply.GenerateBody(text), Encoding.UTF8, "application/json");

    public Task<HttpResponseMessage> GenerateAsync(string model = "gemini-2.5-flash", CancellationToken cancellationToken = default) =>
        Client.PostAsync($"v1beta/models/{model}:generateContent", Body(), cancellationToken);

    public KeyStatus Status(int key, string? model = null) => Pool.GetStatus(Keys[key], model)!;

    /// <summary>The keys the server saw, as indexes into <see cref="Keys"/> (never the secrets, which are canaries).</summary>
    public int[] KeysSeen() => [.. Server.Requests.Select(r => Array.IndexOf(Keys, r.GoogKey ?? r.CustomKey ?? r.Authorization?["Bearer ".Length..]))];

    /// <summary>No secret of the pool and not the suspended-key canary in any log line or stored error.</summary>
    public void AssertNoSecretsLeaked(string? body = null)
    {
        var texts = Logs.GetSnapshot().Select(r => r.Message + " " + r.Exception?.Message)
            .Concat(Pool.GetStatuses().Select(s => s.State.LastError?.Message ?? "").Concat(Pool.GetStatuses().Select(s => s.Reason ?? "")))
            .Append(body ?? "")
            .ToList();
        foreach (var secret in Keys.Append(TestKeys.SuspendedCanary))
        {
            Assert.False(texts.Exists(t => t.Contains(secret, StringComparison.Ordinal)), "a secret leaked into a log line, a stored error or a body");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Pool.Dispose();
        await Server.DisposeAsync();
    }
}
