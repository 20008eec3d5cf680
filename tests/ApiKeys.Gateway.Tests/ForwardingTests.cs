using System.Net;
using System.Text;
using ApiKeys.Gateway.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>Every route forwards byte for byte, with a key of the pool in a header and the client's token nowhere upstream.</summary>
public sealed class ForwardingTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHarness _h = fixture.Harness;

    [Theory]
    [InlineData("v1beta/models/gemini-2.5-flash:generateContent", "/v1beta/models/gemini-2.5-flash:generateContent")]
    [InlineData("v1/models/gemini-2.5-flash:generateContent", "/v1/models/gemini-2.5-flash:generateContent")]
    [InlineData("v1beta/models/gemini-2.5-flash:countTokens", "/v1beta/models/gemini-2.5-flash:countTokens")]
    [InlineData("v1beta/models/gemini-embedding-001:embedContent", "/v1beta/models/gemini-embedding-001:embedContent")]
    [InlineData("v1/models/gemini-embedding-001:batchEmbedContents", "/v1/models/gemini-embedding-001:batchEmbedContents")]
    [InlineData("v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "/v1beta/models/gemini-2.5-flash:streamGenerateContent")]
    public async Task Post_GeminiRoute_ForwardedWithAPoolKeyInTheHeader(string path, string upstreamPath)
    {
        using var response = await _h.SendAsync(_h.Gemini(path));
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = _h.Server.Requests.Last();
        Assert.Equal(upstreamPath, seen.Path);
        Assert.Contains(seen.GoogKey, _h.Keys);
        Assert.Null(seen.Authorization);
        Assert.DoesNotContain("key=", seen.Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_BodyAndQuery_PassByteForByteWithoutTheClientsKeyParameter()
    {
        _h.Server.Always(_h.Keys[0], FakeReply.Echo());
        _h.Server.Always(_h.Keys[1], FakeReply.Echo());
        _h.Server.Always(_h.Keys[2], FakeReply.Echo());
        string body = "{\"contents\":[{\"parts\":[{\"text\":\"h\\u00e9llo \\ud83d\\ude00 \u00e9\"}]}],\"x\":[1,2.50,3e2]}";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1beta/models/gemini-2.5-flash:generateContent?alt=json&key={_h.Token}&$trace=1")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");

        using var response = await _h.SendAsync(request);
        byte[] echoed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Encoding.UTF8.GetBytes(body), echoed);
        var seen = _h.Server.Requests.Last();
        Assert.Equal("?alt=json&$trace=1", seen.Query);
        Assert.Contains(seen.GoogKey, _h.Keys);
    }

    [Fact]
    public async Task Get_ModelsPaged_QueryPassesAndGeminiListComes()
    {
        using var response = await _h.SendAsync(_h.Gemini("v1beta/models?pageSize=2&pageToken=abc", body: null));
        string text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"models\"", text, StringComparison.Ordinal);
        Assert.Equal("?pageSize=2&pageToken=abc", _h.Server.Requests.Last().Query);
    }

    [Fact]
    public async Task Get_V1ModelsWithBearer_OpenAisListFromTheCompatibleEndpoint()
    {
        using var openAi = await _h.SendAsync(_h.OpenAi("v1/models", body: null));
        string openAiText = await openAi.Content.ReadAsStringAsync();
        var openAiSeen = _h.Server.Requests.Last();
        using var gemini = await _h.SendAsync(_h.Gemini("v1/models", body: null));
        var geminiSeen = _h.Server.Requests.Last();

        Assert.Equal(HttpStatusCode.OK, openAi.StatusCode);
        Assert.Contains("\"object\":\"list\"", openAiText, StringComparison.Ordinal);
        Assert.Equal("/v1beta/openai/models", openAiSeen.Path);
        Assert.StartsWith("Bearer AIza", openAiSeen.Authorization, StringComparison.Ordinal);
        Assert.Null(openAiSeen.GoogKey);
        Assert.Equal(HttpStatusCode.OK, gemini.StatusCode);
        Assert.Equal("/v1/models", geminiSeen.Path);
    }

    [Theory]
    [InlineData("v1beta/openai/chat/completions", "/v1beta/openai/chat/completions")]
    [InlineData("v1/chat/completions", "/v1beta/openai/chat/completions")]
    [InlineData("v1/embeddings", "/v1beta/openai/embeddings")]
    public async Task Post_OpenAiRoute_ForwardedToTheCompatibleEndpointWithBearer(string path, string upstreamPath)
    {
        using var response = await _h.SendAsync(_h.OpenAi(path));
        await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = _h.Server.Requests.Last();
        Assert.Equal(upstreamPath, seen.Path);
        Assert.Contains(seen.Authorization!["Bearer ".Length..], _h.Keys);
        Assert.Null(seen.GoogKey);
    }

    [Fact]
    public async Task Get_GeminiModel_Forwarded()
    {
        using var response = await _h.SendAsync(_h.Gemini("v1beta/models/gemini-2.5-flash", body: null));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/v1beta/models/gemini-2.5-flash", _h.Server.Requests.Last().Path);
    }

    [Fact]
    public async Task Post_UnknownRoute_404InTheApisShapeAndNothingForwarded()
    {
        int before = _h.Server.Requests.Count;

        using var gemini = await _h.SendAsync(_h.Gemini("v1beta/models/gemini-2.5-flash:deleteEverything"));
        using var openAi = await _h.SendAsync(_h.OpenAi("v1/chat/nothing"));
        // A file-like path too (ASP.NET Core's default fallback leaves those out, to its bare 404).
        using var fileLike = await _h.SendAsync(_h.Gemini("v1beta/list.json"));

        Assert.Equal(HttpStatusCode.NotFound, gemini.StatusCode);
        Assert.Contains("\"status\":\"NOT_FOUND\"", await gemini.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, fileLike.StatusCode);
        Assert.Contains("\"status\":\"NOT_FOUND\"", await fileLike.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, openAi.StatusCode);
        Assert.Contains("\"type\":\"invalid_request_error\"", await openAi.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(before, _h.Server.Requests.Count);
    }

    [Fact]
    public async Task Response_Headers_NoBufferingAndNoCompression()
    {
        using var request = _h.Gemini("v1beta/models/gemini-2.5-flash:generateContent");
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip, br");

        using var response = await _h.SendAsync(request);

        Assert.Equal("no", response.Headers.GetValues("X-Accel-Buffering").Single());
        Assert.Empty(response.Content.Headers.ContentEncoding);
        Assert.Equal("application/json; charset=UTF-8", response.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task Request_TokenInAnyOtherHeader_NotForwarded()
    {
        using var request = _h.Gemini("v1beta/models/gemini-2.5-flash:generateContent");
        request.Headers.TryAddWithoutValidation("x-api-key", _h.Token);
        request.Headers.TryAddWithoutValidation("x-trace", "kept");

        using var response = await _h.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(_h.Server.Requests.Last().CustomKey);
    }

    [Theory]
    [InlineData("key")]
    [InlineData("KEY")]
    [InlineData("%6Bey")]
    public async Task Request_TokenInTheQueryUnderAnySpelling_AcceptedAndNeverForwarded(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1beta/models/gemini-2.5-flash:generateContent?{name}={_h.Token}&alt=json")
        {
            Content = new StringContent("{}"),
        };

        using var response = await _h.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("?alt=json", _h.Server.Requests.Last().Query);
    }

    [Fact]
    public async Task Headers_NamedInConnection_StrippedEachWay()
    {
        foreach (var key in _h.Keys)
        {
            _h.Server.Always(key, FakeReply.WithHeaders(FakeReply.Ok(), ("Connection", "x-upstream-hop"), ("x-upstream-hop", "1"), ("x-upstream-kept", "1")));
        }

        using var request = _h.Gemini("v1beta/models/gemini-2.5-flash:generateContent");
        request.Headers.Connection.Add("x-client-hop");
        request.Headers.TryAddWithoutValidation("x-client-hop", "1");
        request.Headers.TryAddWithoutValidation("x-client-kept", "1");

        using var response = await _h.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var seen = _h.Server.Requests.Last().Headers;
        Assert.False(seen.ContainsKey("x-client-hop"), "a header the client's Connection named went upstream");
        Assert.Equal("1", seen["x-client-kept"]);
        Assert.False(response.Headers.Contains("x-upstream-hop"), "a header the upstream's Connection named reached the client");
        Assert.Equal("1", response.Headers.GetValues("x-upstream-kept").Single());
    }
}
