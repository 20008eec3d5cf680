using System.Text;
using ApiKeys.Gateway.Forwarding;
using ApiKeys.Gateway.Resources;
using ApiKeys.Gateway.Tokens;

namespace ApiKeys.Gateway.Tests.Units;

/// <summary>The small pure pieces of the pipeline: what is read from a request, what is kept out of the upstream one.</summary>
public sealed class RequestPartsTests
{
    [Theory]
    [InlineData("?key=akg_x", "")]
    [InlineData("?alt=sse&key=akg_x", "?alt=sse")]
    [InlineData("?key=akg_x&alt=sse&pageSize=2", "?alt=sse&pageSize=2")]
    [InlineData("?%6Bey=akg_x&alt=sse", "?alt=sse")]
    [InlineData("?KEY=akg_x&alt=sse", "?alt=sse")]
    [InlineData("?alt=sse&Key=akg_x", "?alt=sse")]
    [InlineData("?keyword=a&monkey=b", "?keyword=a&monkey=b")]
    [InlineData("", "")]
    [InlineData("?", "")]
    public void QueryWithoutKey_DropsEveryKeyParameterAndKeepsTheRest(string query, string expected) =>
        Assert.Equal(expected, UpstreamRequest.QueryWithoutKey(query));

    [Fact]
    public void UpstreamAddress_ParsedOnceForAReusedRouteWithoutQuery_NewOtherwise()
    {
        var addresses = new UpstreamAddresses(new Uri("http://127.0.0.1:9/base/"));
        var route = new ForwardRoute("generateContent", RouteFlavor.Gemini, "v1beta/models/m:generateContent", "m") { Reused = true };
        var once = route with { Reused = false };

        var first = addresses.Of(route, "");
        var again = addresses.Of(route, "");
        var withQuery = addresses.Of(route, "?alt=sse");
        var forOneRequest = addresses.Of(once, "");

        Assert.Equal("http://127.0.0.1:9/base/v1beta/models/m:generateContent", first.AbsoluteUri);
        Assert.Same(first, again);
        Assert.Equal("http://127.0.0.1:9/base/v1beta/models/m:generateContent?alt=sse", withQuery.AbsoluteUri);
        Assert.Equal(first, forOneRequest);
        Assert.NotSame(forOneRequest, addresses.Of(once, ""));
    }

    [Theory]
    [InlineData("x-hop", "x-hop", true)]
    [InlineData("keep-alive, X-Hop", "x-hop", true)]
    [InlineData("keep-alive,\tx-hop ,close", "x-hop", true)]
    [InlineData("keep-alive, x-hop-not", "x-hop", false)]
    [InlineData("", "x-hop", false)]
    public void NamedInConnection_CommaListAnyCaseAndSpacing(string connection, string name, bool expected) =>
        Assert.Equal(expected, ForwardedHeaders.NamedIn(connection, name));

    [Theory]
    [InlineData("{\"model\":\"gemini-2.5-flash\",\"messages\":[]}", "gemini-2.5-flash")]
    [InlineData("{\"messages\":[{\"model\":\"inner\"}],\"model\":\"models/gemini-2.5-pro\"}", "gemini-2.5-pro")]
    [InlineData("{\"messages\":[]}", null)]
    [InlineData("not json", null)]
    [InlineData("", null)]
    public void Model_TopLevelModelOfTheBody(string body, string? expected) =>
        Assert.Equal(expected, RequestBody.Model(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void ResourceNames_UsedByABody_CachedContentsAndFileUris()
    {
        string body = "{\"cachedContent\":\"cachedContents/abc-1\",\"contents\":[{\"parts\":[{\"fileData\":{\"fileUri\":\"https://x/v1beta/files/f9\"}}]}]}";

        var names = ResourceNames.UsedBy(Encoding.UTF8.GetBytes(body));

        Assert.Equal(["cachedContents/abc-1", "files/f9"], names);
        Assert.Empty(ResourceNames.UsedBy("{\"contents\":[]}"u8));
    }

    [Theory]
    [InlineData("{\"file\":{\"name\":\"files/abc\"}}", "files/abc", null)]
    [InlineData("{\"file\":{\"name\":\"files/abc\",\"expirationTime\":\"2026-03-03T12:00:00.123456Z\"}}", "files/abc", "2026-03-03T12:00:00.1234560+00:00")]
    [InlineData("{\"name\":\"cachedContents/xyz\",\"model\":\"m\"}", "cachedContents/xyz", null)]
    [InlineData("{\"name\":\"cachedContents/xyz\",\"expireTime\":\"2026-03-01T13:00:00Z\"}", "cachedContents/xyz", "2026-03-01T13:00:00.0000000+00:00")]
    [InlineData("{\"name\":\"models/gemini\"}", null, null)]
    [InlineData("[]", null, null)]
    public void ResourceNames_CreatedByAResponse_NameAndEnd(string json, string? name, string? expires)
    {
        var created = ResourceNames.CreatedBy(Encoding.UTF8.GetBytes(json));

        Assert.Equal(name, created?.Name);
        Assert.Equal(expires, created?.Expires?.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TokenMatcher_FindsOnlyTheTokenWhoseHmacMatches()
    {
        using var hasher = new TokenHasher(TokenHasher.NewSecret());
        string a = ClientTokenFormat.Generate(), b = ClientTokenFormat.Generate();
        var matcher = new TokenMatcher(hasher, [Token("a", hasher.HashHex(a)), Token("b", hasher.HashHex(b))]);

        Assert.Equal("a", matcher.Find(a)?.Name);
        Assert.Equal("b", matcher.Find(b)?.Name);
        Assert.Null(matcher.Find(ClientTokenFormat.Generate()));
        Assert.Null(matcher.Find(a[..^1]));
        Assert.Null(matcher.Find(hasher.HashHex(a)));
    }

    [Fact]
    public void TokenFormat_RedactMasksWholeAndCutTokens()
    {
        string token = ClientTokenFormat.Generate();

        string masked = ClientTokenFormat.Redact($"GET /v1beta/models?key={token}&x=1 and {token[..20]}");

        Assert.DoesNotContain(token[4..12], masked, StringComparison.Ordinal);
        Assert.Contains("akg_..." + token[^4..], masked, StringComparison.Ordinal);
        Assert.True(ClientTokenFormat.IsToken(token));
        Assert.Equal(ClientTokenFormat.Length, token.Length);
    }

    [Theory]
    [InlineData("gemini-2.5-flash", true)]
    [InlineData("models/gemini-2.5-flash", true)]
    [InlineData("gemini-embedding-001", true)]
    [InlineData("gemini-2.5-pro", false)]
    [InlineData(null, true)]
    public void AllowsModel_NamesAndPrefixes(string? model, bool allowed)
    {
        var token = Token("t", "00") with { Models = ["gemini-2.5-flash", "gemini-embedding-*"] };

        Assert.Equal(allowed, token.AllowsModel(model));
    }

    private static ClientToken Token(string name, string hash) => new() { Name = name, Hash = hash };
}
