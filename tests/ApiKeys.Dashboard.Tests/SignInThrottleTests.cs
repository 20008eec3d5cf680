using System.Net;
using ApiKeys.Dashboard.Tests.Support;

namespace ApiKeys.Dashboard.Tests;

/// <summary>Sign-in attempts are throttled per client address: past the limit, 429 with Retry-After, even for the right password.</summary>
public sealed class SignInThrottleTests(SignInThrottleTests.ThreeAttempts fixture) : IClassFixture<SignInThrottleTests.ThreeAttempts>
{
    [Fact]
    public async Task SignIn_AfterThreeBadAttemptsInAMinute_Is429_EvenWithTheRightPassword()
    {
        using var client = fixture.Harness.Client(out _);

        for (int i = 0; i < 3; i++)
        {
            using var wrong = await client.PostAsync("admin/signin", new FormUrlEncodedContent([new("password", "not the password " + i)]));
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains("Wrong password.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var throttled = await client.PostAsync("admin/signin", new FormUrlEncodedContent([new("password", DashboardHarness.Password)]));

        Assert.Equal((HttpStatusCode)429, throttled.StatusCode);
        Assert.InRange(throttled.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Contains("Too many sign-in attempts", await throttled.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(throttled.Headers.Location);
        await fixture.Harness.Gateway.WaitForLineAsync(l => l.Contains("sign-in attempts from 127.0.0.1 refused", StringComparison.Ordinal));
    }

    public sealed class ThreeAttempts : DashboardFixture
    {
        protected override string[] Args => ["--Admin:SignInAttemptsPerMinute", "3"];
    }
}
