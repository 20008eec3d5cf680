using Microsoft.Playwright;

namespace ApiKeys.Dashboard.Tests.Support;

/// <summary>
/// Debian's Chromium (scripts/install-deps.sh installs the <c>chromium</c> package), driven by Playwright: its own browser
/// download is never used. Flags for a root user on a machine without internet: no sandbox, headless, and none of the
/// background traffic (updates, sync, safe browsing) that would otherwise fill the log with refused connections.
/// </summary>
public static class Chromium
{
    private static readonly string[] Candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"];

    public static string ExecutablePath => Candidates.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Chromium is not installed (/usr/lib/chromium/chromium or /usr/bin/chromium): run scripts/install-deps.sh");

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        // Playwright must not look for (or fetch) a browser of its own.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions",
            ],
        });
        return (playwright, browser);
    }
}
