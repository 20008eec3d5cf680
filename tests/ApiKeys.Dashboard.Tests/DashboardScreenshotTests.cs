using System.Net;
using ApiKeys.Dashboard.Tests.Support;
using ApiKeys.Keys;
using Microsoft.Playwright;

namespace ApiKeys.Dashboard.Tests;

/// <summary>
/// Every page after some traffic (successes on two models, a 429 that cools a key, a bad client token, a key disabled by
/// hand), saved as screenshots into docs/images/ for docs/dashboard.md: the overview in light and dark, the others in light.
/// Each page is also checked to be reachable from the keyboard alone: every control has a label (an accessible name).
/// </summary>
public sealed class DashboardScreenshotTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task EveryPage_AfterTraffic_IsSavedAsAScreenshot_AndEveryControlHasAName()
    {
        var h = fixture.Harness;
        foreach (var key in h.Keys)
        {
            h.Server.Always(key, FakeReply.WithUsage());
        }

        h.Server.Script(h.Keys[1], FakeReply.Error("429-per-minute-requests"));
        foreach (var model in new[] { "gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash", "gemini-2.5-pro", "gemini-2.5-flash" })
        {
            Assert.Equal(HttpStatusCode.OK, await h.GenerateAsync(model));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await h.GenerateAsync(token: "akg_" + new string('y', 43)));
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/admin/keys");
        await page.GetByRole(AriaRole.Button, new() { Name = $"Disable {KeyMask.Mask(h.Keys[2])}" }).ClickAsync();
        await Assertions.Expect(page.Locator($"#key-{KeyIds.For(h.Keys[2])} .badge")).ToHaveTextAsync("disabled by hand");

        var shots = new List<string>();
        foreach (var (path, name) in new[]
        {
            ("/admin", "overview"), ("/admin/keys", "keys"), ($"/admin/keys/{KeyIds.For(h.Keys[1])}", "key"), ("/admin/usage?by=model", "usage"),
            ("/admin/log", "log"), ("/admin/tokens", "tokens"),
        })
        {
            await page.GotoAsync(path);
            await WaitForChartsAsync(page);
            shots.Add(await Screenshots.SaveAsync(page, name));
            await AssertLabelledAsync(page, path);
            await AssertNothingCutOffAsync(page, path);
        }

        var dark = await fixture.SignedInPageAsync(ColorScheme.Dark);
        await WaitForChartsAsync(dark);
        shots.Add(await Screenshots.SaveAsync(dark, "overview-dark"));
        var signIn = await fixture.NewPageAsync();
        await signIn.GotoAsync("/admin/signin");
        shots.Add(await Screenshots.SaveAsync(signIn, "signin"));

        Assert.Equal(8, shots.Distinct().Count());
        Assert.NotEqual("rgb(255, 255, 255)", await dark.EvaluateAsync<string>("() => getComputedStyle(document.documentElement).backgroundColor"));
    }

    private static async Task WaitForChartsAsync(IPage page)
    {
        int charts = await page.Locator("[data-chart]").CountAsync();
        if (charts > 0)
        {
            await Assertions.Expect(page.Locator("[data-chart] canvas")).ToHaveCountAsync(charts);
        }
    }

    /// <summary>No table is wider than its box at the test's 1280 px (the keys page's actions were cut off, "Remove" half hidden).</summary>
    private static async Task AssertNothingCutOffAsync(IPage page, string path)
    {
        var cut = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('.table-wrap')].filter(w => w.scrollWidth > w.clientWidth + 1)
              .map(w => (w.querySelector('caption, thead') || w).textContent.trim().slice(0, 60) + ': ' + w.scrollWidth + ' > ' + w.clientWidth)
            """);
        Assert.True(cut.Length == 0, $"{path}: tables wider than the page: {string.Join(" | ", cut)}");
    }

    /// <summary>Every input, select and button has an accessible name, and focus can reach the first form control by Tab.</summary>
    private static async Task AssertLabelledAsync(IPage page, string path)
    {
        var unnamed = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input:not([type=hidden]), select, button, textarea')]
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.tagName === 'BUTTON' && e.textContent.trim()))
              .map(e => e.outerHTML.slice(0, 80))
            """);
        Assert.True(unnamed.Length == 0, $"{path}: controls without a name: {string.Join(" | ", unnamed)}");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to the content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
    }
}
