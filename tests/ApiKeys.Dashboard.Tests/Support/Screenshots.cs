using Microsoft.Playwright;

namespace ApiKeys.Dashboard.Tests.Support;

/// <summary>
/// Saves a page's screenshot: into docs/images/ of the checkout (shown in docs/dashboard.md) when
/// <c>APIKEYS_UPDATE_SCREENSHOTS=1</c>, else into a temporary directory of this test run, so an ordinary run leaves the
/// tracked images alone (they would differ in every run by a timestamp or a pixel).
/// </summary>
public static class Screenshots
{
    public const string UpdateVariable = "APIKEYS_UPDATE_SCREENSHOTS";

    private static readonly Lazy<string> Scratch = new(() => System.IO.Directory.CreateTempSubdirectory("apikeys-dashboard-screenshots-").FullName);

    public static string Directory => Environment.GetEnvironmentVariable(UpdateVariable) == "1" ? DocsImages : Scratch.Value;

    private static string DocsImages
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "ApiKeyManager.slnx")))
                {
                    return Path.Combine(dir.FullName, "docs", "images");
                }
            }

            throw new InvalidOperationException("ApiKeyManager.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    public static async Task<string> SaveAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string path = Path.Combine(Directory, $"dashboard-{name}.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 1000, $"the screenshot {path} is empty");
        return path;
    }
}
