using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace ApiKeys.Dashboard.Tests.Support;

/// <summary>One Chromium and one gateway for a test class; each test gets a fresh browser context (its own cookies).</summary>
public class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private DashboardHarness? _harness;

    public DashboardHarness Harness => _harness ?? throw new InvalidOperationException("the fixture has not started");

    /// <summary>Every response the pages of this fixture received (to search their bodies).</summary>
    public ConcurrentQueue<IResponse> Responses { get; } = new();

    protected virtual string[] Args => ["--Admin:SignInAttemptsPerMinute", "1000", "--Admin:SignInAttemptsPerMinuteGlobal", "1000"];

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await Chromium.LaunchAsync();
        _harness = await DashboardHarness.StartAsync(withPassword: true, Args);
    }

    /// <summary>A page in a new context (light or dark), its responses recorded.</summary>
    public async Task<IPage> NewPageAsync(ColorScheme scheme = ColorScheme.Light)
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Harness.BaseAddress.ToString(),
            ColorScheme = scheme,
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
        context.Response += (_, response) => Responses.Enqueue(response);
        return await context.NewPageAsync();
    }

    /// <summary>A page signed in through the sign-in form.</summary>
    public async Task<IPage> SignedInPageAsync(ColorScheme scheme = ColorScheme.Light)
    {
        var page = await NewPageAsync(scheme);
        await page.GotoAsync("/admin");
        Assert.Contains("/admin/signin", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Admin password").FillAsync(DashboardHarness.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/admin");
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }

        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
