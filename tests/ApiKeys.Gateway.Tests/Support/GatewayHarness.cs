using System.Net.Http.Headers;
using System.Text;

namespace ApiKeys.Gateway.Tests.Support;

/// <summary>
/// A fake Gemini server, a store with <c>keys</c> canary keys and one client token, and the gateway in front of the fake.
/// Disposing it stops the gateway and checks every log line for secrets.
/// </summary>
public sealed class GatewayHarness : IAsyncDisposable
{
    private GatewayHarness(FakeGeminiServer server, GatewayStore store, string token, GatewayProcess gateway)
    {
        Server = server;
        Store = store;
        Token = token;
        Gateway = gateway;
    }

    public FakeGeminiServer Server { get; }

    public GatewayStore Store { get; }

    public string[] Keys => Store.Keys;

    public string Token { get; }

    public GatewayProcess Gateway { get; }

    public HttpClient Client => Gateway.Client;

    public static async Task<GatewayHarness> StartAsync(int keys = 3, params string[] args)
    {
        var server = await FakeGeminiServer.StartAsync();
        var store = new GatewayStore(TestKeys.Many(keys));
        string token = store.Token();
        var gateway = await GatewayProcess.StartAsync(store.Path, server.BaseAddress, args);
        return new GatewayHarness(server, store, token, gateway);
    }

    /// <summary>A Gemini request with the token in x-goog-api-key.</summary>
    public HttpRequestMessage Gemini(string path, string? body = "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}", string? token = null)
    {
        var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.TryAddWithoutValidation("x-goog-api-key", token ?? Token);
        return request;
    }

    /// <summary>An OpenAI-compatible request with the token as Bearer.</summary>
    public HttpRequestMessage OpenAi(string path, string? body = "{\"model\":\"gemini-2.5-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", string? token = null)
    {
        var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token ?? Token);
        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption option = HttpCompletionOption.ResponseContentRead)
    {
        using (request)
        {
            return await Client.SendAsync(request, option);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Server.DisposeAsync();
        Store.Dispose();
    }
}
