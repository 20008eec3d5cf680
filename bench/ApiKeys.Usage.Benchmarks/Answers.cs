using System.Text;

namespace ApiKeys.Usage.Benchmarks;

/// <summary>Real-shaped Gemini answers (as generateContent and streamGenerateContent?alt=sse send them), with usageMetadata.</summary>
internal static class Answers
{
    public const string Json = """
        {
          "candidates": [
            {
              "content": {
                "parts": [
                  {
                    "text": "Rate limits protect the API from bursts: each key has requests-per-minute and tokens-per-minute quotas, and a daily cap that resets at midnight Pacific time. When a key hits its per-minute quota, the API answers 429 RESOURCE_EXHAUSTED with a RetryInfo detail saying how long to wait; spreading requests over several keys of different projects keeps the traffic flowing while one of them cools down. Cached content and files belong to the project of the key that created them, so requests that name them must use that same key."
                  }
                ],
                "role": "model"
              },
              "finishReason": "STOP",
              "index": 0
            }
          ],
          "usageMetadata": {
            "promptTokenCount": 1532,
            "candidatesTokenCount": 118,
            "totalTokenCount": 2079,
            "cachedContentTokenCount": 1024,
            "promptTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 1532
              }
            ],
            "cacheTokensDetails": [
              {
                "modality": "TEXT",
                "tokenCount": 1024
              }
            ],
            "thoughtsTokenCount": 429
          },
          "modelVersion": "gemini-2.5-flash",
          "responseId": "x2PkaJzAFdeVvdIPkP2W-Ac"
        }
        """;

    public static readonly string Stream = BuildStream(20);

    private static string BuildStream(int chunks)
    {
        var sse = new StringBuilder();
        for (int i = 1; i <= chunks; i++)
        {
            sse.Append("data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"Chunk ")
                .Append(i)
                .Append(" of the answer, a sentence or two of streamed text as the model writes it.\"}],\"role\": \"model\"},\"index\": 0")
                .Append(i == chunks ? ",\"finishReason\": \"STOP\"" : "")
                .Append("}],\"usageMetadata\": {\"promptTokenCount\": 1532,\"candidatesTokenCount\": ")
                .Append(i * 17)
                .Append(",\"totalTokenCount\": ")
                .Append(1532 + (i * 17))
                .Append(",\"promptTokensDetails\": [{\"modality\": \"TEXT\",\"tokenCount\": 1532}]},\"modelVersion\": \"gemini-2.5-flash\",\"responseId\": \"x2PkaJzAFdeVvdIPkP2W-Ac\"}\r\n\r\n");
        }

        return sse.ToString();
    }
}
