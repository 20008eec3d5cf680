// GeminiChat: one generateContent call through ApiKeyHandler. Keys from GEMINI_KEY_1..N; the base URL from
// --base-url or GEMINI_BASE_URL (CI points it at the local fake Gemini server).
//   dotnet run --project samples/GeminiChat -- [--base-url URL] [--model MODEL] "your prompt"
using System.Text;
using System.Text.Json;
using ApiKeys;
using ApiKeys.Http;
using ApiKeys.Pool;

string? baseUrl = Environment.GetEnvironmentVariable("GEMINI_BASE_URL");
string model = "gemini-2.5-flash";
var prompt = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--base-url" when i + 1 < args.Length:
            baseUrl = args[++i];
            break;
        case "--model" when i + 1 < args.Length:
            model = args[++i];
            break;
        default:
            prompt.Add(args[i]);
            break;
    }
}

using var pool = ApiKeyManager.FromEnvironment("GEMINI_KEY_");
if (pool.Count == 0)
{
    Console.Error.WriteLine("Set GEMINI_KEY_1 (and GEMINI_KEY_2, ...) to your Gemini API keys.");
    return 1;
}

using var http = new HttpClient(new ApiKeyHandler(pool, new SocketsHttpHandler()))
{
    BaseAddress = new Uri(baseUrl ?? "https://generativelanguage.googleapis.com/"),
};

using var request = new MemoryStream();
using (var json = new Utf8JsonWriter(request))
{
    json.WriteStartObject();
    json.WriteStartArray("contents");
    json.WriteStartObject();
    json.WriteStartArray("parts");
    json.WriteStartObject();
    json.WriteString("text", prompt.Count > 0 ? string.Join(' ', prompt) : "Say hello in one short sentence.");
    json.WriteEndObject();
    json.WriteEndArray();
    json.WriteEndObject();
    json.WriteEndArray();
    json.WriteEndObject();
}

try
{
    using var content = new ByteArrayContent(request.ToArray());
    content.Headers.ContentType = new("application/json");
    using var response = await http.PostAsync($"v1beta/models/{model}:generateContent", content);
    string body = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode)
    {
        // The handler has already masked any key Google echoed in the error.
        Console.Error.WriteLine($"HTTP {(int)response.StatusCode}: {body}");
        return 1;
    }

    using var doc = JsonDocument.Parse(body);
    var text = new StringBuilder();
    foreach (var part in doc.RootElement.GetProperty("candidates")[0].GetProperty("content").GetProperty("parts").EnumerateArray())
    {
        text.Append(part.GetProperty("text").GetString());
    }

    Console.WriteLine(text.ToString());
    return 0;
}
catch (NoAvailableKeyException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
