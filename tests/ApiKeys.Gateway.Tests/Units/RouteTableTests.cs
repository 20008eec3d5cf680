using System.Net;
using ApiKeys.Gateway.Endpoints;
using ApiKeys.Gateway.Forwarding;

namespace ApiKeys.Gateway.Tests.Units;

/// <summary>What a request does not build again: its route (only for model-shaped names), and the length it passes on.</summary>
public sealed class RouteTableTests
{
    [Fact]
    public void Get_ModelShapedName_OneRouteObjectKept()
    {
        var routes = new GeminiEndpoints.ModelRoutes("v1beta");

        var first = routes.Get("gemini-2.5-flash:generateContent")!;

        Assert.Same(first, routes.Get("gemini-2.5-flash:generateContent")!);
        Assert.True(first.Reused);
        Assert.Equal("v1beta/models/gemini-2.5-flash:generateContent", first.UpstreamPath);
        Assert.NotSame(first, routes.Get("gemini-2.5-flash:countTokens")!);
    }

    [Theory]
    [InlineData("a b")]
    [InlineData("model/../x")]
    [InlineData("é")]
    public void Get_NameNotShapedLikeAModel_RouteForThatRequestOnly(string model)
    {
        var routes = new GeminiEndpoints.ModelRoutes("v1beta");

        var first = routes.Get($"{model}:generateContent")!;

        Assert.False(first.Reused);
        Assert.NotSame(first, routes.Get($"{model}:generateContent")!);
        Assert.Equal(model, first.Model);
    }

    [Fact]
    public void Get_LongNamesAndAFullTable_NoneHeldBeyondTheBound()
    {
        var routes = new GeminiEndpoints.ModelRoutes("v1");
        string tooLong = new('m', GeminiEndpoints.ModelRoutes.MaxModelLength + 1);
        var kept = routes.Get("gemini-2.5-pro:generateContent")!;

        for (int i = 0; i < GeminiEndpoints.ModelRoutes.MaxRoutes; i++)
        {
            routes.Get("junk-" + i + ":generateContent");
        }

        Assert.False(routes.Get($"{tooLong}:generateContent")!.Reused);
        // The table started again once full: the first name gets a new object, which is then kept again.
        var again = routes.Get("gemini-2.5-pro:generateContent")!;
        Assert.NotSame(kept, again);
        Assert.Same(again, routes.Get("gemini-2.5-pro:generateContent")!);
    }

    [Theory]
    [InlineData("gemini-2.5-flash:generateContent", "gemini-2.5-flash", "generateContent")]
    [InlineData("tuned:model:countTokens", "tuned:model", "countTokens")]
    [InlineData("gemini-2.5-flash:unknownMethod", null, null)]
    [InlineData("gemini-2.5-flash", null, null)]
    [InlineData(":generateContent", null, null)]
    [InlineData("gemini-2.5-flash:", null, null)]
    public void Get_Segment_SplitAtTheLastColonIntoAForwardedMethod(string target, string? model, string? method)
    {
        var route = new GeminiEndpoints.ModelRoutes("v1beta").Get(target);

        Assert.Equal(model, route?.Model);
        Assert.Equal(method, route?.Name);
    }

    [Theory]
    [InlineData(200, "285", 285L)]
    [InlineData(200, null, null)]
    [InlineData(200, "x", null)]
    [InlineData(204, "5", null)]
    [InlineData(205, "0", null)]
    [InlineData(304, "10", null)]
    [InlineData(101, "10", null)]
    public void KnownLength_UpstreamHeader_PassedOnlyWhereABodyMayFollow(int status, string? header, long? expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StreamContent(Stream.Null) };
        if (header is not null)
        {
            response.Content.Headers.TryAddWithoutValidation("Content-Length", header);
        }

        Assert.Equal(expected, ResponseStreamer.KnownLength(response));
    }

    [Fact]
    public void KnownLength_ErrorBodyTheHandlerReplaced_ItsOwnLength()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new ByteArrayContent(new byte[42]) };

        Assert.Equal(42, ResponseStreamer.KnownLength(response));
    }
}
