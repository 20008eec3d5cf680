using ApiKeys.Http.Hosting;
using ApiKeys.Http.Tests.Support;
using ApiKeys.Pool;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ApiKeys.Http.Tests.Hosting;

public class KeyRevalidationServiceTests
{
    [Fact]
    public async Task ExecuteAsync_IntervalElapses_DisabledAndModelBlockedKeysRevalidated()
    {
        var time = new RecordingTimeProvider(HandlerHarness.Start);
        await using var h = await HandlerHarness.StartAsync(keys: 3, time: time);
        h.Server.Script(h.Keys[0], FakeReply.Error("400-api-key-invalid"));
        h.Server.Script(h.Keys[1], FakeReply.Error("429-limit-zero"));
        h.Pool.Disable(h.Keys[2]);
        using (await h.GenerateAsync("gemini-2.5-pro"))
        {
        }

        Assert.Equal(KeyAvailability.Disabled, h.Status(0).Availability);
        Assert.Equal(KeyAvailability.ModelBlocked, h.Status(1, "gemini-2.5-pro").Availability);
        var services = new ServiceCollection();
        services.AddSingleton<IKeyPool>(h.Pool);
        services.AddSingleton<TimeProvider>(time);
        var builder = new TestBuilder(services);
        builder.AddKeyRevalidation(o =>
        {
            o.Interval = TimeSpan.FromMinutes(30);
            o.BaseUrl = h.Server.BaseAddress;
        });
        await using var provider = services.BuildServiceProvider();
        var service = provider.GetServices<IHostedService>().OfType<KeyRevalidationService>().Single();
        var timer = time.NextTimer;

        await service.StartAsync(CancellationToken.None);
        await timer.WaitAsync(TimeSpan.FromSeconds(30));
        int before = h.Server.Requests.Count;
        time.Advance(TimeSpan.FromMinutes(30));
        await WaitUntilAsync(() => h.Status(0).IsUsable && h.Status(1, "gemini-2.5-pro").IsUsable);
        await service.StopAsync(CancellationToken.None);

        Assert.True(h.Status(0).IsUsable);
        Assert.True(h.Status(1, "gemini-2.5-pro").IsUsable);
        Assert.Equal(KeyAvailability.DisabledByHand, h.Status(2).Availability);
        Assert.Equal(2, h.Server.Requests.Count - before);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            await Task.Yield();
            cts.Token.ThrowIfCancellationRequested();
        }
    }

    private sealed class TestBuilder(IServiceCollection services) : IApiKeyManagerBuilder
    {
        public IServiceCollection Services { get; } = services;
    }
}
