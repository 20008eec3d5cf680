using System.Net;
using System.Text;
using ApiKeys.Gateway.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>Upstream errors pass through with their status and body (keys masked) and a header naming their kind.</summary>
public sealed class ErrorTests(ErrorTests.Fixture fixture) : IClassFixture<ErrorTests.Fixture>
{
    private readonly GatewayHarness _h = fixture.Harness;

    public static TheoryData<string, string> Fixtures => new()
    {
        { "429-per-minute-requests", "RateLimited" },
        { "429-per-minute-input-tokens", "RateLimited" },
        { "429-per-day-requests", "RateLimited" },
        { "429-limit-zero", "ModelUnavailable" },
        { "429-bare", "RateLimited" },
        { "400-api-key-invalid", "InvalidKey" },
        { "400-api-key-expired", "InvalidKey" },
        { "400-invalid-argument-request", "BadRequest" },
        { "400-location-not-supported", "BadRequest" },
        { "403-consumer-suspended", "Suspended" },
        { "403-api-key-service-blocked", "Forbidden" },
        { "403-permission-denied", "Forbidden" },
        { "404-model-not-found", "BadRequest" },
        { "500-internal", "Upstream" },
        { "503-overloaded", "Upstream" },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task UpstreamError_EveryShape_PassesThroughWithItsStatusAndKind(string file, string kind)
    {
        foreach (var key in _h.Keys)
        {
            _h.Server.Always(key, FakeReply.Error(file));
        }

        using var response = await _h.SendAsync(_h.Gemini("v1beta/models/gemini-2.5-flash:generateContent"));
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(ErrorFiles.Status(file), (int)response.StatusCode);
        Assert.Equal(kind, response.Headers.GetValues("x-apikeys-failure").Single());
        Assert.Equal(MessageOf(ErrorFiles.Read(file)), MessageOf(body));
        TestKeys.AssertNoSecret(body, "the error body");
    }

    [Fact]
    public async Task UpstreamError_WrappedInAnArrayOnTheOpenAiRoute_ClassifiedAndPassedAsIs()
    {
        foreach (var key in _h.Keys)
        {
            _h.Server.Always(key, FakeReply.ErrorArray("400-api-key-invalid"));
        }

        using var response = await _h.SendAsync(_h.OpenAi("v1/chat/completions"));
        string body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("InvalidKey", response.Headers.GetValues("x-apikeys-failure").Single());
        Assert.StartsWith("[", body, StringComparison.Ordinal);
        Assert.Contains("API_KEY_INVALID", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestBody_OverTheLimit_413InEachApisShapeAndNothingForwarded()
    {
        int before = _h.Server.Requests.Count;
        string big = "{\"contents\":\"" + new string('x', 5000) + "\"}";

        using var gemini = await _h.SendAsync(_h.Gemini("v1beta/models/gemini-2.5-flash:generateContent", big));
        using var openAi = await _h.SendAsync(_h.OpenAi("v1/chat/completions", big));
        using var chunked = _h.Gemini("v1beta/models/gemini-2.5-flash:generateContent", null);
        chunked.Method = HttpMethod.Post;
        chunked.Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        using var unknownLength = await _h.SendAsync(chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, gemini.StatusCode);
        Assert.Contains("\"status\":\"INVALID_ARGUMENT\"", await gemini.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, openAi.StatusCode);
        Assert.Contains("\"code\":\"request_too_large\"", await openAi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, unknownLength.StatusCode);
        Assert.Equal(before, _h.Server.Requests.Count);
    }

    private static string? MessageOf(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        var root = doc.RootElement.ValueKind == System.Text.Json.JsonValueKind.Array ? doc.RootElement[0] : doc.RootElement;
        return root.GetProperty("error").GetProperty("status").GetString();
    }

    /// <summary>Many keys (each error cools or disables one), one attempt per request (each error reaches the client), a 4 KiB body limit.</summary>
    public sealed class Fixture : GatewayFixture
    {
        protected override int Keys => 24;

        protected override string[] Args => ["--Gateway:MaxAttempts", "1", "--Gateway:MaxRequestBodyBytes", "4096"];
    }
}
