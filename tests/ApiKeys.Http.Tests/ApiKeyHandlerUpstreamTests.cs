using System.Net;
using System.Text;
using ApiKeys.Http.Classification;
using ApiKeys.Http.Tests.Support;
using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Http.Tests;

/// <summary>What the handler takes from the upstream rather than from its options: the model in an OpenAI-style body, and
/// the error format of the API it talks to (whatever the key's placement).</summary>
public class ApiKeyHandlerUpstreamTests
{
    private const string Path = "v1beta/openai/chat/completions";
    private const string Pro = "gemini-2.5-pro";

    [Fact]
    public async Task SendAsync_ModelOnlyInTheBody_LeaseTakenForIt()
    {
        await using var h = await HandlerHarness.StartAsync(configure: o => o.Placement = KeyPlacement.BearerToken);
        h.Server.Script(h.Keys[0], FakeReply.Error("429-openai-bare"));

        using var response = await h.Client.PostAsync(Path, Json("""{"model":"models/gemini-2.5-pro","messages":[]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(KeyAvailability.ModelBlocked, h.Status(0, Pro).Availability);
        Assert.True(h.Status(0).IsUsable); // a model-less lease would have cooled the whole key
    }

    [Fact]
    public async Task SendAsync_StreamContentWithModel_BufferedOnceModelReadAndSentIntact()
    {
        await using var h = await HandlerHarness.StartAsync(configure: o => o.Placement = KeyPlacement.BearerToken);
        h.Server.Script(h.Keys[0], FakeReply.Error("429-openai-bare"));
        const string body = """{"messages":[{"role":"user","content":"hi"}],"model":"gemini-2.5-pro"}""";
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new("application/json");

        using var response = await h.Client.PostAsync(Path, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([body, body], h.Server.Requests.Select(r => r.Body));
        Assert.Equal(KeyAvailability.ModelBlocked, h.Status(0, Pro).Availability);
    }

    [Fact]
    public async Task SendAsync_SingleAttempt_ModelStillReadFromTheBody()
    {
        await using var h = await HandlerHarness.StartAsync(configure: o => { o.Placement = KeyPlacement.BearerToken; o.MaxAttempts = 1; });
        h.Server.Script(h.Keys[0], FakeReply.Error("429-openai-bare"));
        using var content = new StreamContent(new MemoryStream("""{"model":"gemini-2.5-pro"}"""u8.ToArray()));
        content.Headers.ContentType = new("application/json");

        using var response = await h.Client.PostAsync(Path, content);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(KeyAvailability.ModelBlocked, h.Status(0, Pro).Availability);
    }

    [Fact]
    public async Task SendAsync_ReadModelFromBodyOff_BodyNotRead()
    {
        await using var h = await HandlerHarness.StartAsync(configure: o => { o.Placement = KeyPlacement.BearerToken; o.ReadModelFromBody = false; });
        h.Server.Script(h.Keys[0], FakeReply.Error("429-openai-bare"));

        using var response = await h.Client.PostAsync(Path, Json("""{"model":"gemini-2.5-pro"}"""));

        Assert.Equal(KeyAvailability.Cooling, h.Status(0).Availability);
    }

    [Theory]
    [InlineData("400-openai-api-key-invalid")]
    [InlineData("400-api-key-invalid")]
    public async Task SendAsync_BearerPlacementGeminiErrorBody_ReadAsGeminiSoTheKeyIsDisabled(string file)
    {
        await using var h = await HandlerHarness.StartAsync(configure: o => o.Placement = KeyPlacement.BearerToken);
        h.Server.Script(h.Keys[0], FakeReply.Error(file));

        using var response = await h.Client.PostAsync(Path, Json("""{"model":"gemini-2.5-flash"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([0, 1], h.KeysSeen());
        Assert.Equal(FailureKind.InvalidKey, h.Status(0).State.DisabledKind);
    }

    [Fact]
    public async Task SendAsync_BearerPlacementOpenAIShapedError_StillGeneric()
    {
        await using var h = await HandlerHarness.StartAsync(configure: o => o.Placement = KeyPlacement.BearerToken);
        h.Server.Script(h.Keys[0], FakeReply.Json(429, """{"error":{"message":"You exceeded your current quota.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}"""));

        using var response = await h.Client.PostAsync("v1/chat/completions", Json("""{"model":"gpt-4o"}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FailureKind.Billing, h.Status(0).State.LastError!.Kind);
    }

    [Theory]
    [InlineData(null, KeyPlacement.GoogApiKeyHeader, typeof(GeminiResponseClassifier))]
    [InlineData(null, KeyPlacement.BearerToken, typeof(UpstreamResponseClassifier))]
    [InlineData(null, KeyPlacement.CustomHeader, typeof(UpstreamResponseClassifier))]
    [InlineData(KeyProvider.Gemini, KeyPlacement.BearerToken, typeof(GeminiResponseClassifier))]
    [InlineData(KeyProvider.OpenAI, KeyPlacement.BearerToken, typeof(GenericResponseClassifier))]
    public void ResolveClassifier_FollowsTheUpstream(KeyProvider? upstream, KeyPlacement placement, Type expected)
    {
        var options = new ApiKeyHandlerOptions { Upstream = upstream, Placement = placement };

        Assert.IsType(expected, options.ResolveClassifier(TimeProvider.System));
    }

    [Fact]
    public void UseGeminiOpenAICompatibility_BearerGeminiAndModelFromBody()
    {
        var options = new ApiKeyHandlerOptions { ReadModelFromBody = false, MaxAttempts = 5 }.UseGeminiOpenAICompatibility();

        Assert.Equal(KeyPlacement.BearerToken, options.Placement);
        Assert.Equal(KeyProvider.Gemini, options.Upstream);
        Assert.True(options.ReadModelFromBody);
        Assert.Equal(5, options.MaxAttempts);
        Assert.IsType<GeminiResponseClassifier>(options.ResolveClassifier(TimeProvider.System));
    }

    [Theory]
    [InlineData("https://generativelanguage.googleapis.com/v1beta/openai/chat/completions", true)]
    [InlineData("https://aiplatform.googleapis.com/v1/x", true)]
    [InlineData("https://api.openai.com/v1/chat/completions", false)]
    [InlineData("https://googleapis.com.example.org/v1", false)]
    public void IsGoogleHost_Host(string url, bool expected)
    {
        Assert.Equal(expected, UpstreamResponseClassifier.IsGoogleHost(new Uri(url)));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
