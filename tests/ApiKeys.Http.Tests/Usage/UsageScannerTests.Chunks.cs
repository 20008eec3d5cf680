using System.Text;
using ApiKeys.Http.Usage;

namespace ApiKeys.Http.Tests.Usage;

/// <summary>
/// Every body shape the scanner meets, read in one chunk, in two chunks split at every byte, and one byte at a time: the
/// scanner skips nested values 64 bytes at a time and names keys straight from the chunk, so each of those paths has to
/// give the counts of the others wherever a chunk ends (in a key, an escape, a number, a block of a nested value).
/// </summary>
public sealed partial class UsageScannerTests
{
    private const string BenchCompact =
        """{"candidates":[{"content":{"parts":[{"text":"Hello! How can I help you today?"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":2,"candidatesTokenCount":9,"totalTokenCount":11},"modelVersion":"gemini-2.5-flash","responseId":"bench-0000"}""";

    private const string BenchPretty = """
        {
          "candidates": [
            {
              "content": {
                "parts": [
                  {
                    "text": "Hello! How can I help you today? A longer answer runs past one block of sixty-four bytes."
                  }
                ],
                "role": "model"
              },
              "finishReason": "STOP",
              "index": 0
            }
          ],
          "usageMetadata": {
            "promptTokenCount": 2,
            "candidatesTokenCount": 9,
            "totalTokenCount": 30,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 2
              }
            ],
            "thoughtsTokenCount": 19
          },
          "modelVersion": "gemini-2.5-flash",
          "responseId": "bench-0000"
        }

        """;

    // chat.completion with its details; a nested object inside a details object must not count.
    private const string OpenAiWithDetails =
        """{"id":"chatcmpl-1","object":"chat.completion","created":1764576000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hi {there} [you]","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":6,"audio_tokens":0,"x":{"cached_tokens":99}},"completion_tokens_details":{"reasoning_tokens":4,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default"}""";

    // Keys with escapes name nothing (not even "us\u0061ge"); escaped quotes and backslashes end no string early.
    private const string Escapes =
        """{"te\"xt":"a\\","candidates":[{"a\\":"}\\\"]{","b":["[",{"c":"\\"}]}],"usage\"":{"prompt_tokens":99},"usage\\":{"prompt_tokens":98},"us\u0061ge":{"prompt_tokens":97},"usageMetadata":{"prompt\u0054okenCount":96,"promptTokenCount":5,"candidates\\TokenCount":95,"candidatesTokenCount":6},"end":"\\\\"}""";

    private const string NestedArrays =
        """{"candidates":[[[{"usageMetadata":{"promptTokenCount":99}}]],[[],[{}]]],"usageMetadata":{"promptTokenCount":4,"nested":[[{"promptTokenCount":98}],[1,2,{"candidatesTokenCount":97}]],"candidatesTokenCount":5,"thoughtsTokenCount":6}}""";

    private static readonly Dictionary<string, (string Body, Counts Expected)> Cases = new()
    {
        ["gemini stream"] = (GeminiStream, new(true, 7, 9, 1, 2)),
        ["openai stream"] = (OpenAiStream, new(true, 5, 8, 3, 4)),
        ["both streams"] = (GeminiStream + OpenAiStream, new(true, 5, 8, 3, 4)),
        ["gemini pretty"] = (GeminiPretty, new(true, 12, 34, 5, 6)),
        ["bench compact"] = (BenchCompact, new(true, 2, 9, null, null)),
        ["bench pretty"] = (BenchPretty, new(true, 2, 9, null, 19)),
        ["gemini sse"] = (GeminiSse(), new(true, 8, 70, null, 3)),
        ["openai details"] = (OpenAiWithDetails, new(true, 19, 10, 6, 4)),
        ["escapes"] = (Escapes, new(true, 5, 6, null, null)),
        ["long text with escapes"] = (LongText(), new(true, 3, 500, null, null)),
        ["nested arrays"] = (NestedArrays, new(true, 4, 5, null, 6)),
        ["deep nesting"] = ("{\"candidates\":" + new string('[', 70) + "{\"usage\":{\"prompt_tokens\":9}}" + new string(']', 70) + ",\"usage\":{\"prompt_tokens\":1}}", new(true, 1, null, null, null)),
        ["array of chunks"] = ("[{\"usageMetadata\":{\"promptTokenCount\":1}},\r\n{\"usageMetadata\":{\"promptTokenCount\":2,\"candidatesTokenCount\":30}}]", new(true, 2, 30, null, null)),
        ["nested object inside usage"] = ("""{"usageMetadata":{"promptTokenCount":3,"x":{"promptTokenCount":99},"candidatesTokenCount":4}}""", new(true, 3, 4, null, null)),
        ["usage null, then an object"] = ("""{"usage":null,"usage":{"prompt_tokens":3}}""", new(true, 3, null, null, null)),
        ["second usage replaces the first"] = ("""{"usageMetadata":{"promptTokenCount":1,"thoughtsTokenCount":5},"usageMetadata":{"candidatesTokenCount":2}}""", new(true, null, 2, null, null)),
        ["a key longer than any name"] = ("""{"usageMetadataXXXXXXXXXXXXXXXXXXXX":{"promptTokenCount":1},"usageMetadata":{"promptTokenCount":1234567890123}}""", new(true, 1234567890123, null, null, null)),
        ["usage quoted in a text"] = ("""{"text":"\"usageMetadata\":{\"promptTokenCount\":5}"}""", new(false, null, null, null, null)),
        ["usage inside candidates"] = ("""{"candidates":[{"usageMetadata":{"promptTokenCount":5}}]}""", new(false, null, null, null, null)),
        ["usage one level down"] = ("""{"a":{"usage":{"prompt_tokens":5}}}""", new(false, null, null, null, null)),
        ["usage an array"] = ("""{"usage":[{"prompt_tokens":5}],"x":1}""", new(false, null, null, null, null)),
        ["usage null, usageMetadata a string"] = ("""{"usage":null,"usageMetadata":"x"}""", new(false, null, null, null, null)),
        ["not json"] = ("not json at all: usage prompt_tokens 5", new(false, null, null, null, null)),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Write_OneChunk_ReadsTheExpectedCounts(string name)
    {
        var (body, expected) = Cases[name];

        var counts = Read(Encoding.UTF8.GetBytes(body), []);

        Assert.Equal(expected, counts);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Write_TwoChunksSplitAtEveryByte_SameCounts(string name)
    {
        var (body, expected) = Cases[name];
        byte[] bytes = Encoding.UTF8.GetBytes(body);

        var wrong = Enumerable.Range(0, bytes.Length + 1).Where(split => Read(bytes, [split]) != expected).ToList();

        Assert.True(wrong.Count == 0, $"{name}: other counts when split at {string.Join(", ", wrong)}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Write_OneByteAtATime_SameCounts(string name)
    {
        var (body, expected) = Cases[name];
        byte[] bytes = Encoding.UTF8.GetBytes(body);

        var counts = Read(bytes, [.. Enumerable.Range(1, Math.Max(0, bytes.Length - 1))]);

        Assert.Equal(expected, counts);
    }

    [Fact]
    public void Write_RandomBodiesInRandomChunks_SameCountsAsInOneChunk()
    {
        var random = new Random(20261201);
        int found = 0;

        for (int n = 0; n < 3000; n++)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(RandomBody(random));
            var splits = new List<int>();
            for (int at = random.Next(1, 80); at < bytes.Length; at += random.Next(1, 80))
            {
                splits.Add(at);
            }

            var whole = Read(bytes, []);
            var chunked = Read(bytes, [.. splits]);

            Assert.True(whole == chunked, $"{Encoding.UTF8.GetString(bytes)}\nsplit at {string.Join(", ", splits)}: {chunked}, not {whole}");
            found += whole.Input is null && whole.Output is null ? 0 : 1;
        }

        // Enough bodies with counts that wrong counts would show, not only bodies without any.
        Assert.InRange(found, 300, 2700);
    }

    /// <summary>A JSON body (or a stream of them) with the keys the scanner knows, escapes, long texts and deep values.</summary>
    private static string RandomBody(Random random)
    {
        var body = new StringBuilder();
        bool events = random.Next(2) == 0;
        for (int n = random.Next(1, 4); n > 0; n--)
        {
            body.Append(events ? "data: " : "").Append(RandomValue(random, depth: 0, kind: 3)).Append(events ? "\r\n\r\n" : "");
        }

        return body.ToString();
    }

    private static string RandomValue(Random random, int depth, int kind = -1)
    {
        string[] keys = ["usage", "usageMetadata", "prompt_tokens_details", "completion_tokens_details", "promptTokenCount", "candidatesTokenCount",
            "cachedContentTokenCount", "thoughtsTokenCount", "prompt_tokens", "completion_tokens", "cached_tokens", "reasoning_tokens",
            "candidates", "text", "us\\\"age", "usage\\\\"];
        string space = random.Next(3) == 0 ? "\n  " : "";
        var members = Enumerable.Range(0, random.Next(depth == 0 ? 2 : 0, 5));
        return (kind >= 0 ? kind : random.Next(depth > 5 ? 3 : 6)) switch
        {
            0 => random.Next(100_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
            1 => "\"" + RandomText(random) + "\"",
            2 => random.Next(2) == 0 ? "null" : "true",
            3 or 4 => "{" + string.Join(",", members.Select(_ => random.Next(depth == 0 && random.Next(2) == 0 ? 2 : keys.Length) switch
            {
                // Often a usage object at the top; mostly what the names hold: an object for a usage object or its details,
                // a number for a count.
                < 4 and var k => $"{space}\"{keys[k]}\":{RandomValue(random, depth + 1, kind: random.Next(4) == 0 ? -1 : 3)}",
                < 12 and var k => $"{space}\"{keys[k]}\":{RandomValue(random, depth + 1, kind: random.Next(4) == 0 ? -1 : 0)}",
                var k => $"{space}\"{keys[k]}\":{RandomValue(random, depth + 1)}",
            })) + space + "}",
            _ => "[" + string.Join(",", members.Select(_ => space + RandomValue(random, depth + 1))) + "]",
        };
    }

    private static string RandomText(Random random)
    {
        string[] pieces = ["a", "lorem ipsum ", "{", "}", "[", "]", "\\\"", "\\\\", "\\n", ":", ",", "usage"];
        int length = random.Next(8) == 0 ? random.Next(300) : random.Next(8);
        return string.Concat(Enumerable.Range(0, length).Select(_ => pieces[random.Next(pieces.Length)]));
    }

    /// <summary>A streamGenerateContent?alt=sse answer whose texts run past a block of 64 bytes; the counts are cumulative.</summary>
    private static string GeminiSse()
    {
        var sse = new StringBuilder();
        for (int i = 1; i <= 5; i++)
        {
            string finish = i == 5 ? ",\"finishReason\":\"STOP\"" : "";
            sse.Append("data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Part ").Append(i)
                .Append(" of the answer, a sentence or two as the model writes it, with {braces} and [brackets].\"}],\"role\":\"model\"}")
                .Append(finish).Append(",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":").Append(i * 14)
                .Append(",\"thoughtsTokenCount\":3},\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n");
        }

        return sse.ToString();
    }

    /// <summary>A long answer full of escapes (quotes right after backslashes among them) in a nested text and a top-level one.</summary>
    private static string LongText()
    {
        string text = string.Concat(Enumerable.Repeat("a line with \\\"quotes\\\", a path C:\\\\dir\\\\, {braces} [brackets] \\u0022 and\\n", 20));
        return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}]}}],\"note\":\"" + text + "\\\\\","
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":500}}";
    }

    /// <summary>The counts of one scanner fed <paramref name="bytes"/> in chunks ending at <paramref name="splits"/>.</summary>
    private static Counts Read(byte[] bytes, int[] splits)
    {
        var scanner = new UsageScanner();
        int start = 0;
        foreach (int split in splits)
        {
            scanner.Write(bytes.AsSpan(start, split - start));
            start = split;
        }

        scanner.Write(bytes.AsSpan(start));
        return new Counts(scanner.Found, scanner.Input, scanner.Output, scanner.Cached, scanner.Thinking);
    }

    private sealed record Counts(bool Found, long? Input, long? Output, long? Cached, long? Thinking);
}
