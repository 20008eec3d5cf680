using System.Text;
using ApiKeys.Gateway.Forwarding;
using ApiKeys.Gateway.Logging;
using ApiKeys.Gateway.Tokens;
using ApiKeys.Pool;
using Microsoft.Extensions.Logging;

namespace ApiKeys.Gateway.Tests.Units;

/// <summary>The access line, written straight into the console's line: its format, its times, and the fields a client chose masked.</summary>
public sealed class AccessLineTests
{
    // Key- and token-shaped canaries, never real.
    private const string CanaryKey = "AIzaSyCANARY0access0line0canary0key0001";
    private static readonly string CanaryToken = "akg_" + new string('Q', 43);

    [Fact]
    public void Line_HasTheTemplatesFieldsAndTwoDecimalTimes()
    {
        var context = Context("gemini-2.5-flash", "bench");
        context.Latency = TimeSpan.FromTicks(123_456); // 12.3456 ms
        context.TimeToFirstByte = TimeSpan.FromTicks(5_049); // 0.5049 ms
        context.Failure = FailureKind.RateLimited;
        context.Attempts = 2;

        Assert.Equal(
            "POST generateContent 200 Forwarded in 12.35 ms (first byte 0.50 ms) token=bench model=gemini-2.5-flash key=k_1 failure=RateLimited retries=1 bytes=285",
            new AccessLogEntry(context).ToString());
    }

    [Fact]
    public void Line_NothingKnownYet_DashesAndZeros()
    {
        var context = new ForwardContext(new ForwardRoute("listModels", RouteFlavor.Gemini, "v1beta/models"), "GET", 0) { Status = 401, Outcome = GatewayOutcome.Unauthorized };

        Assert.Equal("GET listModels 401 Unauthorized in 0.00 ms (first byte 0.00 ms) token=- model=- key=- failure=- retries=0 bytes=0",
            new AccessLogEntry(context).ToString());
    }

    [Fact]
    public void Console_ClientChosenFieldsWithSecrets_Masked()
    {
        var output = new MemoryStream();
        var provider = new GatewayConsoleLoggerProvider(new LogRedactor(), output: output);
        new AccessLogObserver(new Logger<AccessLogObserver>(new SingleProviderFactory(provider))).OnCompleted(Context("m-" + CanaryKey, "t-" + CanaryToken));
        provider.Dispose();

        string written = Encoding.UTF8.GetString(output.ToArray());
        Assert.Contains("AccessLogObserver[3001]: POST generateContent 200 Forwarded", written, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryKey, written, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryToken, written, StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryToken, new AccessLogEntry(Context("m", CanaryToken)).ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(CanaryKey, new AccessLogEntry(Context(CanaryKey, "t")).ToString(), StringComparison.Ordinal);
    }

    private static ForwardContext Context(string model, string token) =>
        new(new ForwardRoute("generateContent", RouteFlavor.Gemini, "v1beta/models/x:generateContent"), "POST", 0)
        {
            Model = model,
            TokenName = token,
            KeyId = "k_1",
            Attempts = 1,
            Status = 200,
            ResponseBytes = 285,
        };

    private sealed class SingleProviderFactory(ILoggerProvider provider) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider loggerProvider) => throw new NotSupportedException();

        public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
