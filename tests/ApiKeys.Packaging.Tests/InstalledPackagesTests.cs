using System.IO.Compression;
using System.Diagnostics;
using System.Text.Json;
using ApiKeys.Packaging.Tests.Support;

namespace ApiKeys.Packaging.Tests;

/// <summary>
/// The packages as users get them: the samples built against the packages (only their public API), and the tool installed
/// with <c>dotnet tool install</c> and run in a fresh directory.
/// </summary>
[Collection(PackagingTestGroup.Name)]
public sealed class InstalledPackagesTests(PackedRelease release)
{
    [Theory]
    [InlineData("QuickStart", new[] { "ApiKeys" })]
    [InlineData("GeminiChat", new[] { "ApiKeys", "ApiKeys.Http" })]
    public async Task Samples_BuiltWithUsePackages_ReferenceThePackagesNotTheProjects(string sample, string[] packages)
    {
        string artifacts = await release.SamplesAsync();

        using var assets = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(artifacts, "obj", sample, "project.assets.json")));
        var libraries = assets.RootElement.GetProperty("libraries").EnumerateObject()
            .ToDictionary(l => l.Name, l => l.Value.GetProperty("type").GetString());
        foreach (string id in packages)
        {
            Assert.Equal("package", libraries[$"{id}/{release.Version}"]);
        }

        Assert.DoesNotContain("project", libraries.Values);
        Assert.True(File.Exists(Path.Combine(artifacts, "bin", sample, "release", sample + ".dll")));
    }

    [Fact]
    public async Task Tool_Installed_PrintsTheVersionOfThePackedAssembly()
    {
        string apikeys = await release.ToolAsync();

        var result = (await ChildProcess.RunAsync(apikeys, ["--version"], release.NewDirectory("version"))).AssertSuccess();

        Assert.Equal(PackedInformationalVersion(), result.Out.Trim());
    }

    [Fact]
    public async Task Tool_InstalledAndRunInAnEmptyDirectory_ListsNoKeys()
    {
        string apikeys = await release.ToolAsync();
        string dir = release.NewDirectory("empty");

        var result = (await ChildProcess.RunAsync(apikeys, ["list"], dir)).AssertSuccess();

        Assert.Equal("No API keys stored.", result.Out.Trim());
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task QuickStart_FromPackages_UsesTheKeyTheInstalledToolAdded()
    {
        string apikeys = await release.ToolAsync();
        string artifacts = await release.SamplesAsync();
        string dir = release.NewDirectory("quickstart");
        string key = TestKeys.Gemini(1);
        string masked = "AIza..." + key[^4..];

        (await ChildProcess.RunAsync(apikeys, ["add", "--stdin"], dir, standardInput: key + "\n")).AssertSuccess();
        var list = (await ChildProcess.RunAsync(apikeys, ["list"], dir)).AssertSuccess();
        var run = (await ChildProcess.RunAsync("dotnet", [Path.Combine(artifacts, "bin", "QuickStart", "release", "QuickStart.dll")], dir)).AssertSuccess();

        Assert.Contains($"1. {masked} (Active)", list.Out.Split('\n').Select(l => l.Trim()));
        Assert.Equal($"calling Gemini with {masked}", run.Out.Trim());
    }

    [Fact]
    public async Task GeminiChat_FromPackagesWithoutKeys_SaysWhichVariablesToSet()
    {
        string artifacts = await release.SamplesAsync();

        var run = await ChildProcess.RunAsync("dotnet", [Path.Combine(artifacts, "bin", "GeminiChat", "release", "GeminiChat.dll")], release.NewDirectory("chat"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("Set GEMINI_KEY_1 (and GEMINI_KEY_2, ...) to your Gemini API keys.", run.Error.Trim());
    }

    /// <summary>The informational version of the ApiKeys.Cli.dll inside the tool's package.</summary>
    private string PackedInformationalVersion()
    {
        using var package = release.Open("ApiKeys.Cli");
        string copy = Path.Combine(release.NewDirectory("packed-cli"), "ApiKeys.Cli.dll");
        package.GetEntry("tools/net10.0/any/ApiKeys.Cli.dll")!.ExtractToFile(copy);
        return FileVersionInfo.GetVersionInfo(copy).ProductVersion!;
    }
}
