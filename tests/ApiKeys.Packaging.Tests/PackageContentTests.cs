using ApiKeys.Packaging.Tests.Support;

namespace ApiKeys.Packaging.Tests;

/// <summary>What scripts/pack.sh puts in each package: readme, licence, XML docs, symbols, dependencies, the tool's command.</summary>
[Collection(PackagingTestGroup.Name)]
public sealed class PackageContentTests(PackedRelease release)
{
    [Theory]
    [InlineData("ApiKeys")]
    [InlineData("ApiKeys.Http")]
    [InlineData("ApiKeys.Redis")]
    [InlineData("ApiKeys.Usage")]
    public void Pack_Library_CarriesReadmeLicenceDocsAndSymbols(string id)
    {
        using var package = release.Open(id);
        using var symbols = release.Open(id, "snupkg");

        var metadata = PackedRelease.Metadata(package);
        Assert.Equal(id, Value(metadata, "id"));
        Assert.Equal(release.Version, Value(metadata, "version"));
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")));
        var files = package.Entries.Select(e => e.FullName).ToHashSet();
        Assert.Contains("README.md", files);
        Assert.Contains($"lib/net10.0/{id}.dll", files);
        Assert.Contains($"lib/net10.0/{id}.xml", files);
        Assert.DoesNotContain(files, f => f.EndsWith(".pdb", StringComparison.Ordinal));
        Assert.Contains($"lib/net10.0/{id}.pdb", symbols.Entries.Select(e => e.FullName));
    }

    [Theory]
    [InlineData("ApiKeys.Http")]
    [InlineData("ApiKeys.Redis")]
    [InlineData("ApiKeys.Usage")]
    public void Pack_Integration_DependsOnTheCoreOfTheSameVersion(string id)
    {
        using var package = release.Open(id);

        var dependencies = PackedRelease.Metadata(package).Descendants().Where(e => e.Name.LocalName == "dependency");

        var core = Assert.Single(dependencies, d => (string?)d.Attribute("id") == "ApiKeys");
        Assert.Equal(release.Version, (string?)core.Attribute("version"));
    }

    [Fact]
    public void Pack_Cli_IsADotnetToolWhoseCommandIsApikeys()
    {
        using var package = release.Open("ApiKeys.Cli");

        var metadata = PackedRelease.Metadata(package);
        var type = Assert.Single(metadata.Descendants(), e => e.Name.LocalName == "packageType");
        Assert.Equal("DotnetTool", (string?)type.Attribute("name"));
        Assert.Equal("README.md", Value(metadata, "readme"));
        var settings = package.Entries.Single(e => e.FullName == "tools/net10.0/any/DotnetToolSettings.xml");
        using var stream = settings.Open();
        var command = System.Xml.Linq.XDocument.Load(stream).Descendants("Command").Single();
        Assert.Equal("apikeys", (string?)command.Attribute("Name"));
        Assert.Equal("ApiKeys.Cli.dll", (string?)command.Attribute("EntryPoint"));
        Assert.Equal("dotnet", (string?)command.Attribute("Runner"));
    }

    private static string Value(System.Xml.Linq.XElement metadata, string name) =>
        metadata.Elements().Single(e => e.Name.LocalName == name).Value;
}
