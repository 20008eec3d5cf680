using System.Text;
using ApiKeys.Http.Usage;

namespace ApiKeys.Http.Tests.Usage;

public sealed partial class UsageScannerTests
{
    private const string GeminiStream =
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a\"}]}}],\"usageMetadata\":{\"promptTokenCount\":7,\"totalTokenCount\":7}}\r\n\r\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"b \\\"usage\\\": {\"}]}}],\"usageMetadata\":{\"promptTokenCount\":7,\"candidatesTokenCount\":3}}\r\n\r\n"
        + "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"c\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":7,\"candidatesTokenCount\":9,"
        + "\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":7}],\"cachedContentTokenCount\":1,\"thoughtsTokenCount\":2}}\r\n\r\n";

    private const string OpenAiStream =
        "data: {\"id\":\"c\",\"choices\":[{\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n"
        + "data: {\"id\":\"c\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":8,\"total_tokens\":13,\"prompt_tokens_details\":{\"cached_tokens\":3},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":4}}}\n\ndata: [DONE]\n\n";

    // As Gemini sends a generateContent answer: indented, a number right before a newline, a quoted "usageMetadata" in text.
    private const string GeminiPretty = "{\n  \"candidates\": [\n    {\n      \"content\": {\n        \"parts\": [\n          {\n            \"text\": \"say \\\"usageMetadata\\\": 1\"\n          }\n        ],\n"
        + "        \"role\": \"model\"\n      },\n      \"index\": 0\n    }\n  ],\n  \"usageMetadata\": {\n    \"promptTokenCount\": 12,\n    \"candidatesTokenCount\": 34\n,"
        + "\t\"cachedContentTokenCount\" :\r\n 5 ,\n    \"thoughtsTokenCount\": 6\n  },\n  \"modelVersion\": \"gemini-2.5-flash\"\n}\n";

    [Fact]
    public void Write_GeminiStream_KeepsTheLastChunksCounts()
    {
        var scanner = Scan(GeminiStream);

        Assert.True(scanner.Found);
        Assert.Equal((7L, 9L, 1L, 2L), (scanner.Input, scanner.Output, scanner.Cached, scanner.Thinking));
    }

    [Fact]
    public void Write_OpenAiStreamWithIncludeUsage_ReadsTheFinalChunkAndItsDetails()
    {
        var scanner = Scan(OpenAiStream);

        Assert.Equal((5L, 8L, 3L, 4L), (scanner.Input, scanner.Output, scanner.Cached, scanner.Thinking));
    }

    [Theory]
    [InlineData("{\"text\":\"\\\"usageMetadata\\\":{\\\"promptTokenCount\\\":5}\"}")]
    [InlineData("{\"candidates\":[{\"usageMetadata\":{\"promptTokenCount\":5}}]}")]
    [InlineData("{\"a\":{\"usage\":{\"prompt_tokens\":5}}}")]
    [InlineData("not json at all: usage prompt_tokens 5")]
    [InlineData("{\"usage\":null,\"usageMetadata\":\"x\"}")]
    public void Write_UsageNotAtTheTopOfAnObject_FindsNothing(string body)
    {
        var scanner = Scan(body);

        Assert.False(scanner.Found);
        Assert.Null(scanner.Input);
    }

    [Fact]
    public void Write_ArrayOfChunks_ReadsTheLast()
    {
        var scanner = Scan("[{\"usageMetadata\":{\"promptTokenCount\":1}},\r\n{\"usageMetadata\":{\"promptTokenCount\":2,\"candidatesTokenCount\":30}}]");

        Assert.Equal((2L, 30L), (scanner.Input, scanner.Output));
    }

    [Fact]
    public void Write_NestedObjectInsideUsage_DoesNotOverwriteItsFields()
    {
        var scanner = Scan("{\"usageMetadata\":{\"promptTokenCount\":3,\"x\":{\"promptTokenCount\":99},\"candidatesTokenCount\":4}}");

        Assert.Equal((3L, 4L), (scanner.Input, scanner.Output));
    }

    private static UsageScanner Scan(string text)
    {
        var scanner = new UsageScanner();
        scanner.Write(Encoding.UTF8.GetBytes(text));
        return scanner;
    }
}
