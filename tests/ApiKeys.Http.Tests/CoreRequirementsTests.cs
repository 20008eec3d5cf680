using ApiKeys.Http.Tests.Support;
using ApiKeys.Pool;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Http.Tests;

/// <summary>Core behaviour the HTTP integration relies on; a failing one here is a core change request (see docs/http.md).</summary>
public class CoreRequirementsTests
{
    [Fact]
    public void Disable_AnotherKeyDisabledByFailure_KeepsThatKeyDisabled()
    {
        var keys = TestKeys.Many(2);
        using var pool = new ApiKeyManager(keys, timeProvider: new FakeTimeProvider(HandlerHarness.Start));
        using (var lease = pool.Acquire())
        {
            lease.Failed(KeyFailure.InvalidKey("bad"));
        }

        pool.Disable(keys[1]);

        Assert.Equal(KeyAvailability.Disabled, pool.GetStatus(keys[0])!.Availability);
    }
}
