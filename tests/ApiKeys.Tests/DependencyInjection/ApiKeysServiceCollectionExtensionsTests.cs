using ApiKeys.Storage;
using ApiKeys.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ApiKeys.Tests.DependencyInjection;

/// <summary>
/// Options registered by AddApiKeyManager and UseJsonStore are validated on start: <see cref="IStartupValidator"/> is what
/// the host runs when it starts, before any service is resolved.
/// </summary>
public class ApiKeysServiceCollectionExtensionsTests
{
    [Fact]
    public void AddApiKeyManager_OptionOutOfRange_FailsOnStartNamingOptionAndRange()
    {
        var services = new ServiceCollection();
        services.AddApiKeyManager(o => o.FailureThreshold = 0);
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(e.Failures, f => f.Contains("FailureThreshold", StringComparison.Ordinal) && f.Contains("between 1 and 1000000", StringComparison.Ordinal));
    }

    [Fact]
    public void UseJsonStore_MaxFileBytesOutOfRange_FailsOnStartNamingOptionAndRange()
    {
        using var dir = new TempDirectory();
        var services = new ServiceCollection();
        services.AddApiKeyManager().UseJsonStore(dir.Path, o => o.MaxFileBytes = 0);
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        var failure = Assert.Single(e.Failures);
        Assert.Contains("MaxFileBytes", failure, StringComparison.Ordinal);
        Assert.Contains("between 1 and 1073741824 bytes", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void UseJsonStore_ConfiguredOptions_ReachTheStore()
    {
        using var dir = new TempDirectory();
        var services = new ServiceCollection();
        services.AddApiKeyManager().UseJsonStore(dir.Path, o => o.KeysFileName = "gemini_keys.json");
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var store = Assert.IsType<JsonKeyStore>(provider.GetRequiredService<IKeyStore>());

        Assert.Equal(dir.File("gemini_keys.json"), store.KeysPath);
    }
}
