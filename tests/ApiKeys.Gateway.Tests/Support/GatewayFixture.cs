namespace ApiKeys.Gateway.Tests.Support;

/// <summary>One gateway for a test class (its tests run one after another); each test starts with the fake's scripts cleared.</summary>
public class GatewayFixture : IAsyncLifetime
{
    private GatewayHarness? _harness;

    public GatewayHarness Harness
    {
        get
        {
            var h = _harness ?? throw new InvalidOperationException("the fixture has not started");
            h.Server.Reset();
            return h;
        }
    }

    protected virtual int Keys => 3;

    protected virtual string[] Args => [];

    public async Task InitializeAsync() => _harness = await GatewayHarness.StartAsync(Keys, Args);

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }
}
