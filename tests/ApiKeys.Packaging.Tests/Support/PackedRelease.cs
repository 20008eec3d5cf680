using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;

namespace ApiKeys.Packaging.Tests.Support;

/// <summary>
/// One pack for all the packaging tests: scripts/pack.sh packs the solution's build of src (just made, the project reference
/// orders it) into a temporary folder, with a version no other run uses, so no cached copy of an earlier pack can stand in for
/// it. Then, once each and on first use: the tool installed from that folder, and the samples built against the packages.
/// </summary>
/// <remarks>
/// NuGet finds the packages through the machine's own sources plus the temporary folder; every other package comes from the
/// machine's global packages folder (a fallback folder, read only), so nothing of this run is left in it.
/// </remarks>
public sealed class PackedRelease : IAsyncLifetime
{
    private readonly Lazy<Task<string>> _tool;
    private readonly Lazy<Task<string>> _samples;

    public PackedRelease()
    {
        Repository = FindRepository();
        Configuration = typeof(PackedRelease).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        Root = Directory.CreateTempSubdirectory("apikeys-packaging-").FullName;
        Packages = Path.Combine(Root, "packages");
        Version = "0.0.0-test.t" + Guid.NewGuid().ToString("N")[..12];
        _tool = new(InstallToolAsync);
        _samples = new(BuildSamplesAsync);
    }

    /// <summary>The checkout (the folder of ApiKeyManager.slnx).</summary>
    public string Repository { get; }

    /// <summary>The configuration the solution was built in (this assembly's).</summary>
    public string Configuration { get; }

    /// <summary>This run's temporary folder; deleted at the end.</summary>
    public string Root { get; }

    /// <summary>Where scripts/pack.sh put the packages.</summary>
    public string Packages { get; }

    /// <summary>The packages' version, unique to this run.</summary>
    public string Version { get; }

    /// <summary>The installed tool's command (<c>apikeys</c> in a tool path of <see cref="Root"/>).</summary>
    public async Task<string> ToolAsync() => await _tool.Value;

    /// <summary>The artifacts folder of the samples built against the packages (<c>bin/&lt;name&gt;/release</c>, <c>obj/&lt;name&gt;</c>).</summary>
    public async Task<string> SamplesAsync() => await _samples.Value;

    /// <summary>A new empty folder under <see cref="Root"/>.</summary>
    public string NewDirectory(string name) => Directory.CreateDirectory(Path.Combine(Root, name + "-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    /// <summary>Opens <c>{id}.{Version}.{extension}</c> of the pack.</summary>
    public ZipArchive Open(string id, string extension = "nupkg")
    {
        string path = Path.Combine(Packages, $"{id}.{Version}.{extension}");
        Assert.True(File.Exists(path), $"scripts/pack.sh made no {Path.GetFileName(path)}; it made: {string.Join(", ", Directory.GetFiles(Packages).Select(Path.GetFileName))}");
        return ZipFile.OpenRead(path);
    }

    /// <summary>The <c>metadata</c> element of a package's nuspec (namespaces differ between package types: matched by local name).</summary>
    public static XElement Metadata(ZipArchive package)
    {
        var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using var stream = nuspec.Open();
        return XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
    }

    public async Task InitializeAsync()
    {
        (await ChildProcess.RunAsync("bash", [
            "scripts/pack.sh", "--no-build", "--configuration", Configuration, "--version", Version, "--output", Packages, "--",
            // What pack writes besides the packages goes to this run's folder, not into src/*/obj of the checkout.
            $"-p:NuspecOutputPath={Path.Combine(Root, "nuspec")}/", $"-p:PublishDir={Path.Combine(Root, "publish")}/",
        ], Repository).ConfigureAwait(false)).AssertSuccess();
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Root, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<string> InstallToolAsync()
    {
        string toolPath = Path.Combine(Root, "tool");
        (await ChildProcess.RunAsync("dotnet", [
            "tool", "install", "--tool-path", toolPath, "ApiKeys.Cli", "--version", Version, "--add-source", Packages,
        ], Root).ConfigureAwait(false)).AssertSuccess();
        return Path.Combine(toolPath, "apikeys");
    }

    private async Task<string> BuildSamplesAsync()
    {
        // One build of both samples (one restore), in place but with every output under this run's folder.
        string solution = Path.Combine(Root, "samples.slnx");
        await File.WriteAllTextAsync(solution, $"""
            <Solution>
              <Project Path="{Path.Combine(Repository, "samples", "QuickStart", "QuickStart.csproj")}" />
              <Project Path="{Path.Combine(Repository, "samples", "GeminiChat", "GeminiChat.csproj")}" />
            </Solution>
            """).ConfigureAwait(false);
        string artifacts = Path.Combine(Root, "samples");
        (await ChildProcess.RunAsync("dotnet", [
            "build", solution, "-c", "Release", "-nodeReuse:false", "--artifacts-path", artifacts,
            "-p:UsePackages=true", $"-p:ApiKeysVersion={Version}",
            $"-p:RestoreAdditionalProjectSources={Packages}",
            $"-p:RestorePackagesPath={Path.Combine(Root, "nuget-packages")}",
            $"-p:RestoreFallbackFolders={GlobalPackagesFolder()}",
        ], Root).ConfigureAwait(false)).AssertSuccess();
        return artifacts;
    }

    private static string GlobalPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    private static string FindRepository()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ApiKeyManager.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no ApiKeyManager.slnx above {AppContext.BaseDirectory}");
    }
}
