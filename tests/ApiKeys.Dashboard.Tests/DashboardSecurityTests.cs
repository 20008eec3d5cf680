using System.Net;
using ApiKeys.Dashboard.Tests.Support;

namespace ApiKeys.Dashboard.Tests;

/// <summary>
/// The dashboard's locks, with raw HTTP against the gateway process: no page or action without a session, no change
/// without the session's antiforgery token, sessions that end when the password changes, the security headers.
/// </summary>
public sealed class DashboardSecurityTests(DashboardFixture fixture) : IClassFixture<DashboardFixture>
{
    /// <summary>Every page of the dashboard (a key's pages with an id that exists).</summary>
    private static readonly string[] Pages =
    [
        "admin", "admin/", "admin/keys", "admin/keys?page=2", "admin/keys/{id}", "admin/keys/{id}/remove", "admin/usage", "admin/usage?by=token&since=7d",
        "admin/log", "admin/log/follow?after=0", "admin/tokens", "admin/tokens/tests/revoke",
    ];

    private static readonly string[] Actions =
    [
        "admin/keys", "admin/keys/import", "admin/keys/{id}/enable", "admin/keys/{id}/disable", "admin/keys/{id}/reset", "admin/keys/{id}/check",
        "admin/keys/{id}/remove", "admin/tokens", "admin/tokens/tests/revoke", "admin/signout",
    ];

    private DashboardHarness H => fixture.Harness;

    private string KeyId => Keys.KeyIds.For(H.Keys[0]);

    [Fact]
    public async Task EveryPage_WithoutASession_RedirectsToSignIn()
    {
        using var client = H.Client(out _);

        foreach (var page in Pages.Select(p => p.Replace("{id}", KeyId, StringComparison.Ordinal)))
        {
            using var response = await client.GetAsync(page);

            Assert.True(response.StatusCode == HttpStatusCode.Found, $"{page}: {response.StatusCode}");
            Assert.StartsWith("/admin/signin?return=", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task EveryAction_WithoutASession_Is401_AndChangesNothing()
    {
        using var client = H.Client(out _);

        foreach (var action in Actions.Select(a => a.Replace("{id}", KeyId, StringComparison.Ordinal)))
        {
            using var response = await client.PostAsync(action, new FormUrlEncodedContent([new("name", "x"), new("key", TestKeys.Gemini(90))]));

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{action}: {response.StatusCode}");
        }

        using var htmx = new HttpRequestMessage(HttpMethod.Get, "admin/log/follow?after=0");
        htmx.Headers.Add("HX-Request", "true");
        using var polled = await client.SendAsync(htmx);
        Assert.Equal(HttpStatusCode.Unauthorized, polled.StatusCode);
        Assert.Equal("/admin/signin", polled.Headers.GetValues("HX-Redirect").Single());
        using var tokens = new Gateway.Tokens.JsonClientTokenStore(H.Store.Path);
        Assert.Equal(["tests"], (await tokens.ListAsync()).Select(t => t.Name));
        Assert.DoesNotContain(TestKeys.Gemini(90), await File.ReadAllTextAsync(Path.Combine(H.Store.Path, "api_keys.json")), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await H.GenerateAsync());
    }

    [Fact]
    public async Task Change_WithTheSessionButNoAntiforgeryToken_Is400_AndWithIt_IsDone()
    {
        var (client, csrf) = await H.SignInAsync();
        using (client)
        {
            string disable = $"admin/keys/{KeyId}/disable";

            using var refused = await client.PostAsync(disable, new FormUrlEncodedContent([]));
            using var wrong = await client.PostAsync(disable, new FormUrlEncodedContent([new("_csrf", csrf[..^2] + "xx")]));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
            Assert.Contains("usable", await client.GetStringAsync($"admin/keys/{KeyId}"), StringComparison.Ordinal);

            using var header = new HttpRequestMessage(HttpMethod.Post, disable) { Content = new FormUrlEncodedContent([]) };
            header.Headers.Add("X-CSRF-Token", csrf);
            using var done = await client.SendAsync(header);
            Assert.Equal(HttpStatusCode.Found, done.StatusCode);
            Assert.Contains("disabled by hand", await client.GetStringAsync($"admin/keys/{KeyId}"), StringComparison.Ordinal);

            using var enabled = await client.PostAsync($"admin/keys/{KeyId}/enable", new FormUrlEncodedContent([new("_csrf", csrf)]));
            Assert.Equal(HttpStatusCode.Found, enabled.StatusCode);
        }
    }

    [Fact]
    public async Task PasswordChange_EndsEverySession()
    {
        var (client, _) = await H.SignInAsync();
        using (client)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("admin/keys")).StatusCode);

            await DashboardHarness.SetPasswordAsync(H.Store.Path, "another long password");

            using var after = await client.GetAsync("admin/keys");
            Assert.Equal(HttpStatusCode.Found, after.StatusCode);
            await DashboardHarness.SetPasswordAsync(H.Store.Path, DashboardHarness.Password);
        }
    }

    [Fact]
    public async Task Pages_CarryAStrictPolicy_NoInlineScript_AndAreNotCached()
    {
        var (client, _) = await H.SignInAsync();
        using (client)
        {
            foreach (var page in Pages.Where(p => !p.Contains("follow", StringComparison.Ordinal)).Select(p => p.Replace("{id}", KeyId, StringComparison.Ordinal)))
            {
                using var response = await client.GetAsync(page);
                string html = await response.Content.ReadAsStringAsync();

                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{page}: {response.StatusCode}");
                Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
                Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
                Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
                Assert.DoesNotMatch(@"<script(?![^>]*(\bsrc=""/admin/assets/|type=""application/json""))", html);
                Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
                Assert.DoesNotMatch(@"<[^>]+\son[a-z]+\s*=", html);
            }

            using var asset = await client.GetAsync("admin/assets/htmx-2.0.11.min.js?v=1");
            Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
            Assert.Contains("immutable", asset.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        }
    }
}
