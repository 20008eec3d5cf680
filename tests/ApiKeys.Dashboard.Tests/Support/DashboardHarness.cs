using System.Net;
using System.Text.RegularExpressions;
using ApiKeys.Gateway.Admin.Auth;

namespace ApiKeys.Dashboard.Tests.Support;

/// <summary>
/// The gateway as a real process on a free loopback port in front of the fake Gemini server, on a store with three canary
/// keys, a client token and an admin password; usage written every 200 ms so pages see requests at once.
/// </summary>
public sealed partial class DashboardHarness : IAsyncDisposable
{
    public const string Password = "correct horse battery staple";

    private DashboardHarness(FakeGeminiServer server, GatewayStore store, string token, GatewayProcess gateway)
    {
        Server = server;
        Store = store;
        Token = token;
        Gateway = gateway;
    }

    public FakeGeminiServer Server { get; }

    public GatewayStore Store { get; }

    public string Token { get; }

    public GatewayProcess Gateway { get; }

    public Uri BaseAddress => Gateway.BaseAddress;

    public string[] Keys => Store.Keys;

    public static async Task<DashboardHarness> StartAsync(bool withPassword = true, params string[] args)
    {
        var server = await FakeGeminiServer.StartAsync();
        var store = new GatewayStore(TestKeys.Many(3));
        string token = store.Token();
        if (withPassword)
        {
            await SetPasswordAsync(store.Path, Password);
        }

        var gateway = await GatewayProcess.StartAsync(store.Path, server.BaseAddress, ["--Usage:FlushInterval", "00:00:00.2", .. args]);
        return new DashboardHarness(server, store, token, gateway);
    }

    public static async Task SetPasswordAsync(string directory, string password) =>
        await new AdminPasswordFile(directory).WriteAsync(AdminPassword.Create(password, DateTimeOffset.UtcNow));

    /// <summary>A generateContent request through the gateway with <paramref name="token"/> (the harness's by default).</summary>
    public async Task<HttpStatusCode> GenerateAsync(string model = "gemini-2.5-flash", string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1beta/models/{model}:generateContent")
        {
            Content = new StringContent("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", token ?? Token);
        using var response = await Gateway.Client.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>An HttpClient signed in to the dashboard (no redirects followed), and the session's antiforgery token.</summary>
    public async Task<(HttpClient Client, string Csrf)> SignInAsync(string password = Password)
    {
        var client = Client(out _);
        using var response = await client.PostAsync("admin/signin", new FormUrlEncodedContent([new("password", password)]));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        string page = await client.GetStringAsync("admin/keys");
        return (client, CsrfField().Match(page).Groups[1].Value);
    }

    /// <summary>A client with its own cookies that does not follow redirects.</summary>
    public HttpClient Client(out CookieContainer cookies)
    {
        cookies = new CookieContainer();
        return new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Server.DisposeAsync();
        Store.Dispose();
    }

    [GeneratedRegex("name=\"_csrf\" value=\"([^\"]+)\"")]
    private static partial Regex CsrfField();
}
