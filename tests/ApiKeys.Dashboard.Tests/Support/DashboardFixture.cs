namespace ApiKeys.Dashboard.Tests.Support;

/// <summary>One gateway (<see cref="DashboardHarness"/>) for a test class without a browser.</summary>
public class DashboardFixture : IAsyncLifetime
{
    private DashboardHarness? _harness;

    public DashboardHarness Harness => _harness ?? throw new InvalidOperationException("the fixture has not started");

    protected virtual bool WithPassword => true;

    protected virtual string[] Args => [];

    public async Task InitializeAsync() => _harness = await DashboardHarness.StartAsync(WithPassword, Args);

    public async Task DisposeAsync()
    {
        if (_harness is not null)
        {
            await _harness.DisposeAsync();
        }
    }
}
