using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using ApiKeys.Dashboard.Tests.Support;
using ApiKeys.Keys;
using Microsoft.Playwright;

namespace ApiKeys.Dashboard.Tests;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium through Playwright) against the gateway as a process in front of the
/// fake Gemini server: sign in, keys added and switched, a key cooling after a scripted 429, tokens, charts, the live log.
/// </summary>
public sealed class DashboardBrowserTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private DashboardHarness H => fixture.Harness;

    [Fact]
    public async Task SignIn_WithThePassword_ShowsTheOverviewWithThePool()
    {
        var page = await fixture.SignedInPageAsync();

        Assert.Equal("Overview", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("every model", await page.Locator("#pool-h + .table-wrap").InnerTextAsync(), StringComparison.Ordinal);
        var cookies = await page.Context.CookiesAsync();
        var session = Assert.Single(cookies, c => c.Name == "apikeys-admin");
        Assert.True(session.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, session.SameSite);
        Assert.Equal(-1, session.Expires);
    }

    [Fact]
    public async Task AddKey_FromThePasswordField_IsFoundNowhereInPagesOrResponses_AndDisableEnableWork()
    {
        string secret = TestKeys.Gemini(77);
        string id = KeyIds.For(secret);
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/admin/keys");

        await page.GetByLabel("API key (pasted here, never shown again)").FillAsync(secret);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add key" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/keys?notice=added*");

        Assert.Contains($"Added {KeyMask.Mask(secret)}.", await page.Locator("#notices").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("", await page.GetByLabel("API key (pasted here, never shown again)").InputValueAsync());
        var row = page.Locator($"#key-{id}");
        Assert.Contains("usable", await row.InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Disable {KeyMask.Mask(secret)}" }).ClickAsync();
        await Assertions.Expect(row.Locator(".badge")).ToHaveTextAsync("disabled by hand");
        await Assertions.Expect(page.Locator("#notices")).ToContainTextAsync("Disabled");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Enable {KeyMask.Mask(secret)}" }).ClickAsync();
        await Assertions.Expect(row.Locator(".badge")).ToHaveTextAsync("usable");

        // Every page the dashboard has, then every body the browser received, and the live DOM.
        foreach (var path in new[] { "/admin", "/admin/keys", $"/admin/keys/{id}", "/admin/usage", "/admin/log", "/admin/tokens", $"/admin/keys/{id}/remove" })
        {
            await page.GotoAsync(path);
            Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        }

        int bodies = 0;
        foreach (var response in fixture.Responses.Where(r => r.Url.StartsWith(H.BaseAddress.ToString(), StringComparison.Ordinal)))
        {
            if (await BodyAsync(response) is { } body)
            {
                bodies++;
                Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            }
        }

        Assert.True(bodies >= 10, $"only {bodies} response bodies were recorded");
    }

    [Fact]
    public async Task KeyRateLimited_ByAScripted429_ShowsCoolingWithWhyAndUntil()
    {
        string key = H.Keys[0];
        int seen = H.Server.Requests.Count(r => r.GoogKey == key);
        // The error names gemini-2.5-flash (its quota's dimensions): that model cools for this key, for the 46 s it asks.
        H.Server.Script(key, FakeReply.Error("429-per-minute-requests"));
        for (int i = 0; i < 3 && H.Server.Requests.Count(r => r.GoogKey == key) == seen; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await H.GenerateAsync("gemini-2.5-flash"));
        }

        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/admin/keys?state=cooling");
        var row = page.Locator($"#key-{KeyIds.For(key)}");

        await Assertions.Expect(row.Locator(".badge")).ToHaveTextAsync("cooling for 1 model");
        string why = await row.Locator("td").Nth(5).InnerTextAsync();
        Assert.Matches(new Regex(@"gemini-2\.5-flash: RateLimited until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(in \d+ s\)"), why);
        await page.GotoAsync("/admin");
        var flash = page.Locator("#pool-h + .table-wrap tr", new() { HasText = "gemini-2.5-flash" });
        Assert.Equal("1", (await flash.Locator("td").Nth(1).InnerTextAsync()).Trim());
    }

    [Fact]
    public async Task Token_CreatedShownOnceThenRevoked_RequestsWithItAreRejected()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/admin/tokens");
        await page.GetByLabel("Name").FillAsync("browser-made");
        await page.GetByLabel("Requests per minute").FillAsync("100");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();
        string token = (await page.Locator("#new-token").InnerTextAsync()).Trim();

        Assert.StartsWith("akg_", token, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, await H.GenerateAsync(token: token));
        await page.GotoAsync("/admin/tokens");
        Assert.DoesNotContain(token, await page.ContentAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "Revoke browser-made" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke browser-made" }).ClickAsync();
        await Assertions.Expect(page.Locator(".notice")).ToContainTextAsync("Token revoked");

        Assert.Equal(HttpStatusCode.Unauthorized, await H.GenerateAsync(token: token));
    }

    [Fact]
    public async Task Charts_AfterTraffic_DrawTheirSeriesOnACanvas()
    {
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await H.GenerateAsync());
        }

        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/admin/usage?by=model");
        await Assertions.Expect(page.Locator("#usage-requests canvas")).ToHaveCountAsync(1);

        foreach (var id in new[] { "usage-requests", "usage-tokens" })
        {
            Assert.True(int.Parse(await page.Locator($"#{id}").GetAttributeAsync("data-series") ?? "0", System.Globalization.CultureInfo.InvariantCulture) >= 1);
            long drawn = await page.EvaluateAsync<long>(
                "id => { const c = document.querySelector('#' + id + ' canvas'); const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++; return n; }", id);
            Assert.True(drawn > 100, $"{id}: only {drawn} pixels drawn");
        }

        long requests = await page.EvaluateAsync<long>("() => document.querySelector('#usage-requests').uplot.data[1].reduce((a, b) => a + b, 0)");
        Assert.True(requests >= 4, $"the chart counts {requests} requests");
    }

    [Fact]
    public async Task RequestLog_FollowsNewRequestsLive()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/admin/log");
        await Assertions.Expect(page.Locator(".live")).ToBeVisibleAsync();
        int before = await page.Locator("#log-rows tr").CountAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, await H.GenerateAsync(model: "gemini-live-test", token: "akg_" + new string('x', 43)));
        Assert.Equal(HttpStatusCode.OK, await H.GenerateAsync(model: "gemini-live-test"));

        await Assertions.Expect(page.Locator("#log-rows tr", new() { HasText = "gemini-live-test" })).ToHaveCountAsync(2, new() { Timeout = 20_000 });
        Assert.True(await page.Locator("#log-rows tr").CountAsync() >= before + 2);
        Assert.Equal("gemini-live-test", (await page.Locator("#log-rows tr").First.Locator("td").Nth(3).InnerTextAsync()).Trim());
    }

    private static async Task<string?> BodyAsync(IResponse response)
    {
        try
        {
            return Encoding.UTF8.GetString(await response.BodyAsync());
        }
        catch (PlaywrightException)
        {
            // Redirects have no body.
            return null;
        }
    }
}
