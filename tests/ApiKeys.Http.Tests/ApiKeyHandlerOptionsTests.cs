using ApiKeys.Http.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ApiKeys.Http.Tests;

/// <summary>The handler's options are checked the same way in its constructor and when a host starts.</summary>
public class ApiKeyHandlerOptionsTests
{
    public static TheoryData<string, Action<ApiKeyHandlerOptions>, string> OutOfRange => new()
    {
        { "MaxAttempts", o => o.MaxAttempts = 0, "between 1 and 100" },
        { "MaxErrorBodyBytes", o => o.MaxErrorBodyBytes = 10, "between 1024 and 67108864" },
        { "HeaderName", o => { o.Placement = KeyPlacement.CustomHeader; o.HeaderName = " "; }, "required" },
        { "BaseBackoff", o => o.BaseBackoff = TimeSpan.FromSeconds(-1), "between 00:00:00 and 00:01:00" },
        { "MaxBackoff", o => { o.BaseBackoff = TimeSpan.FromSeconds(5); o.MaxBackoff = TimeSpan.FromSeconds(1); }, "between BaseBackoff (00:00:05) and 01:00:00" },
        { "AttemptTimeout", o => o.AttemptTimeout = TimeSpan.Zero, "between 00:00:00.001 and 1.00:00:00" },
    };

    [Fact]
    public void Constructor_Defaults_Accepted()
    {
        using var pool = new ApiKeyManager(TestKeys.Many(1));

        using var handler = new ApiKeyHandler(pool, new ApiKeyHandlerOptions());

        Assert.Null(handler.InnerHandler);
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Constructor_OptionOutOfRange_ThrowsNamingOptionAndRange(string option, Action<ApiKeyHandlerOptions> configure, string range)
    {
        using var pool = new ApiKeyManager(TestKeys.Many(1));
        var options = new ApiKeyHandlerOptions();
        configure(options);

        var e = Assert.Throws<OptionsValidationException>(() => new ApiKeyHandler(pool, new SocketsHttpHandler(), options));

        AssertNames(e, option, range);
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task AddApiKeyRotation_OptionOutOfRange_HostFailsToStart(string option, Action<ApiKeyHandlerOptions> configure, string range)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddApiKeyManager().UseKeys(TestKeys.Many(1));
        builder.Services.AddHttpClient("gemini").AddApiKeyRotation(configure);
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        AssertNames(e, option, range);
    }

    private static void AssertNames(OptionsValidationException e, string option, string range)
    {
        var failure = Assert.Single(e.Failures);
        Assert.Contains(option, failure, StringComparison.Ordinal);
        Assert.Contains(range, failure, StringComparison.OrdinalIgnoreCase);
    }
}
