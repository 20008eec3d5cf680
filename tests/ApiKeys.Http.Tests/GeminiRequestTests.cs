namespace ApiKeys.Http.Tests;

public class GeminiRequestTests
{
    [Theory]
    [InlineData("https://g.example/v1beta/models/gemini-2.5-flash:generateContent", "gemini-2.5-flash")]
    [InlineData("https://g.example/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse", "gemini-2.5-pro")]
    [InlineData("https://g.example/v1/models/gemini-2.0-flash", "gemini-2.0-flash")]
    [InlineData("https://g.example/v1beta/models", null)]
    [InlineData("https://g.example/v1beta/files", null)]
    public void Model_Path_ReadsModel(string url, string? expected)
    {
        var model = GeminiRequest.Model(new Uri(url));

        Assert.Equal(expected, model);
    }

    [Theory]
    [InlineData("https://g.example/v1beta/models/m:generateContent?key=SECRETSECRET&alt=sse", "?alt=sse")]
    [InlineData("https://g.example/v1beta/models/m:generateContent?alt=sse&key=SECRETSECRET", "?alt=sse")]
    [InlineData("https://g.example/v1beta/models?key=SECRETSECRET", "")]
    [InlineData("https://g.example/v1beta/models?pageSize=1&monkey=1", "?pageSize=1&monkey=1")]
    public void WithoutKeyInQuery_KeyParameter_Removed(string url, string query)
    {
        var uri = GeminiRequest.WithoutKeyInQuery(new Uri(url))!;

        Assert.Equal(query, uri.Query);
        Assert.DoesNotContain("SECRETSECRET", uri.ToString(), StringComparison.Ordinal);
    }
}
