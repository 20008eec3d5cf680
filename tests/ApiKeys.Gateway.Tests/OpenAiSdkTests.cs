using System.ClientModel;
using System.ClientModel.Primitives;
using ApiKeys.Gateway.Tests.Support;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace ApiKeys.Gateway.Tests;

/// <summary>The official OpenAI .NET SDK (package OpenAI) through the gateway, with only its endpoint changed.</summary>
public sealed class OpenAiSdkTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHarness _h = fixture.Harness;

    [Theory]
    [InlineData("v1beta/openai/")]
    [InlineData("v1/")]
    public async Task Chat_Completion_ThroughTheGateway(string path)
    {
        var chat = Chat(path, _h.Token);

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal("Hello from the fake", completion.Content[0].Text);
        Assert.Equal("/v1beta/openai/chat/completions", _h.Server.Requests.Last().Path);
        Assert.Contains("\"model\":\"gemini-2.5-flash\"", _h.Server.Requests.Last().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_Stream_EveryUpdateInOrder()
    {
        var chat = Chat("v1beta/openai/", _h.Token);

        var text = new List<string>();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            text.AddRange(update.ContentUpdate.Select(p => p.Text));
        }

        Assert.Equal(FakeReply.StreamWords, text);
    }

    [Fact]
    public async Task Chat_RateLimitedKey_MovedToAnotherKeyAndTheModelInTheBodyCooled()
    {
        _h.Server.Always(_h.Keys[0], FakeReply.ErrorArray("429-per-minute-requests"));
        var chat = Chat("v1/", _h.Token);

        for (int i = 0; i < 3; i++)
        {
            ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("hi")]);
            Assert.Equal("Hello from the fake", completion.Content[0].Text);
        }

        Assert.Single(_h.Server.Requests, r => r.Authorization == "Bearer " + _h.Keys[0]);
        await _h.Gateway.WaitForLineAsync(l => l.Contains("chat/completions 200", StringComparison.Ordinal) && l.Contains("retries=1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chat_KeyRateLimitedOnTheBodysModel_StillServesAnotherModel()
    {
        // A bare 429 names no model: only the lease's model (the body's "model", as the gateway read it) is cooled.
        await using var h = await GatewayHarness.StartAsync(keys: 2);
        h.Server.Script(h.Keys[0], FakeReply.ErrorArray("429-bare"));
        var flash = new ChatClient("gemini-2.5-flash", new ApiKeyCredential(h.Token), Options(h, "v1/"));
        var pro = new ChatClient("gemini-2.5-pro", new ApiKeyCredential(h.Token), Options(h, "v1/"));

        for (int i = 0; i < 3; i++)
        {
            await flash.CompleteChatAsync([new UserChatMessage("hi")]);
        }

        for (int i = 0; i < 3; i++)
        {
            await pro.CompleteChatAsync([new UserChatMessage("hi")]);
        }

        var first = h.Server.Requests.Where(r => r.Authorization == "Bearer " + h.Keys[0]).ToList();
        Assert.Single(first, r => r.Body.Contains("gemini-2.5-flash", StringComparison.Ordinal));
        Assert.Contains(first, r => r.Body.Contains("gemini-2.5-pro", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chat_InvalidToken_401AsTheSdkExpects()
    {
        var chat = Chat("v1/", "sk-not-a-gateway-token-0000000000");

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, error.Status);
        Assert.Contains("client token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_ThroughTheGateway()
    {
        var client = new EmbeddingClient("gemini-embedding-001", new ApiKeyCredential(_h.Token), Options("v1/"));

        OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("hello");

        Assert.Equal([0.1f, 0.2f, 0.3f], embedding.ToFloats().ToArray());
    }

    private ChatClient Chat(string path, string token) => new("gemini-2.5-flash", new ApiKeyCredential(token), Options(path));

    private OpenAIClientOptions Options(string path) => Options(_h, path);

    private static OpenAIClientOptions Options(GatewayHarness h, string path) => new()
    {
        Endpoint = new Uri(h.Gateway.BaseAddress, path),
        // The test sees each answer as the gateway gave it: no retries by the SDK.
        RetryPolicy = new ClientRetryPolicy(0),
    };
}
