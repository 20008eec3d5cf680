using System.Text;
using ApiKeys.Http.Usage;
using BenchmarkDotNet.Attributes;

namespace ApiKeys.Benchmarks;

/// <summary>
/// The usage scanner the gateway runs over every successful answer, one new scanner per answer as there: the gateway
/// benchmark's compact Gemini answer (276 bytes, one chunk), the same answer pretty-printed as Gemini sends it, a Gemini
/// stream of 12 server-sent events (written event by event, as they arrive), a compact OpenAI answer with its usage
/// details, and a long answer (a 3.7 KB markdown text, a <c>\n</c> and two <c>\"</c> a line). The scanner before it
/// skipped nested values was measured beside it from a copy in this project (commit f9dce58, docs/benchmarks.md), removed
/// since: a second copy of the class would only drift.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class UsageScannerBenchmarks
{
    private byte[][] _chunks = null!;

    [Params("Compact", "Pretty", "Sse", "OpenAi", "LongText")]
    public string Body { get; set; } = "Compact";

    [GlobalSetup]
    public void Setup()
    {
        _chunks = Body switch
        {
            "Compact" => [Bytes(Bodies.Compact)],
            "Pretty" => [Bytes(Bodies.Pretty)],
            "Sse" => [.. Bodies.SseEvents().Select(Bytes)],
            "OpenAi" => [Bytes(Bodies.OpenAi)],
            _ => [Bytes(Bodies.LongText())],
        };

        var counts = Current();
        if (counts.Input is null || counts.Output is null)
        {
            throw new InvalidOperationException($"No counts found in {Body}.");
        }
    }

    [Benchmark]
    public (long? Input, long? Output) Current()
    {
        var scanner = new UsageScanner();
        foreach (var chunk in _chunks)
        {
            scanner.Write(chunk);
        }

        return (scanner.Input, scanner.Output);
    }

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    /// <summary>Answers shaped as the real APIs send them.</summary>
    internal static class Bodies
    {
        public const string Compact =
            """{"candidates":[{"content":{"parts":[{"text":"Hello! How can I help you today?"}],"role":"model"},"finishReason":"STOP","index":0}],"usageMetadata":{"promptTokenCount":2,"candidatesTokenCount":9,"totalTokenCount":11},"modelVersion":"gemini-2.5-flash","responseId":"bench-0000"}""";

        public const string Pretty = """
            {
              "candidates": [
                {
                  "content": {
                    "parts": [
                      {
                        "text": "Hello! How can I help you today?"
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

        public const string OpenAi =
            """{"id":"chatcmpl-bench","object":"chat.completion","created":1764576000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello! How can I help you today?","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":9,"completion_tokens":9,"total_tokens":18,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0},"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},"service_tier":"default","system_fingerprint":"fp_bench"}""";

        public static string LongText()
        {
            string text = string.Concat(Enumerable.Repeat("* a point in a list, with `code` and a \\\"quote\\\" in it\\n", 64));
            return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
                + "\"usageMetadata\":{\"promptTokenCount\":2,\"candidatesTokenCount\":900,\"totalTokenCount\":902},\"modelVersion\":\"gemini-2.5-flash\"}";
        }

        /// <summary>A streamGenerateContent?alt=sse answer: each event a compact chunk with its text and the counts so far.</summary>
        public static IEnumerable<string> SseEvents()
        {
            for (int i = 1; i <= 12; i++)
            {
                string finish = i == 12 ? ",\"finishReason\":\"STOP\"" : "";
                yield return "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Part " + i + " of the answer, a sentence or two as the model writes it.\"}],\"role\":\"model\"}"
                    + finish + ",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":" + (i * 14) + ",\"totalTokenCount\":" + (8 + (i * 14))
                    + "},\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"bench-sse\"}\r\n\r\n";
            }
        }
    }
}
