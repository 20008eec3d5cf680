using ApiKeys.Http.Hosting;
using ApiKeys.Http.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ApiKeys.Http.Tests.Hosting;

/// <summary>The revalidation options are checked the same way in the service's constructor (without DI) and when a host starts.</summary>
public class KeyRevalidationOptionsTests
{
    public static TheoryData<string, Action<KeyRevalidationOptions>, string> OutOfRange => new()
    {
        { "Interval", o => o.Interval = TimeSpan.Zero, "between 00:01:00 and 30.00:00:00" },
        { "Interval", o => o.Interval = TimeSpan.FromMilliseconds(1), "between 00:01:00 and 30.00:00:00" },
        { "Interval", o => o.Interval = TimeSpan.FromDays(31), "between 00:01:00 and 30.00:00:00" },
        { "BaseUrl", o => o.BaseUrl = new Uri("v1beta/", UriKind.Relative), "absolute http or https address" },
        { "BaseUrl", o => o.BaseUrl = null!, "required" },
    };

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public void Constructor_OptionOutOfRange_ThrowsNamingOptionAndRange(string option, Action<KeyRevalidationOptions> configure, string range)
    {
        using var pool = new ApiKeyManager(TestKeys.Many(1));
        using var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var options = new KeyRevalidationOptions();
        configure(options);

        var e = Assert.Throws<OptionsValidationException>(
            () => new KeyRevalidationService(pool, services.GetRequiredService<IHttpClientFactory>(), Options.Create(options)));

        AssertNames(e, option, range);
    }

    [Theory]
    [MemberData(nameof(OutOfRange))]
    public async Task AddKeyRevalidation_OptionOutOfRange_HostFailsToStart(string option, Action<KeyRevalidationOptions> configure, string range)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddApiKeyManager().UseKeys(TestKeys.Many(1)).AddKeyRevalidation(configure);
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
