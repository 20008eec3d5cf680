using System.ClientModel;
using System.ClientModel.Primitives;
using ApiKeys.Http.Tests.Support;
using ApiKeys.Pool;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;

namespace ApiKeys.Http.Tests;

/// <summary>
/// Gemini's OpenAI-compatible endpoint through the official OpenAI .NET SDK (and Microsoft.Extensions.AI on top), with the
/// handler as its transport and <see cref="ApiKeyHandlerOptions.UseGeminiOpenAICompatibility"/>, against the fake server.
/// </summary>
public class OpenAICompatibilityTests
{
    private const string Flash = "gemini-2.5-flash";
    private const string Pro = "gemini-2.5-pro";

    [Fact]
    public async Task CompleteChat_ThroughTheHandler_KeyAsBearerFromThePool()
    {
        await using var h = await Harness();

        ChatCompletion completion = await Chat(h, Flash).CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal(FakeReply.ChatText, completion.Content[0].Text);
        Assert.Equal(Flash, completion.Model);
        var seen = Assert.Single(h.Server.Requests);
        Assert.Equal("/v1beta/openai/chat/completions", seen.Path);
        Assert.Equal("Bearer " + h.Keys[0], seen.Authorization);
        Assert.Equal(1, h.Status(0).State.TotalSuccesses);
        h.AssertNoSecretsLeaked();
    }

    [Fact]
    public async Task CompleteChatStreaming_ThroughTheHandler_EveryChunkArrives()
    {
        await using var h = await Harness();
        var text = new List<string>();

        await foreach (var update in Chat(h, Flash).CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            text.AddRange(update.ContentUpdate.Select(part => part.Text));
        }

        Assert.Equal(string.Concat(FakeReply.StreamWords), string.Concat(text));
        Assert.Contains("\"stream\":true", Assert.Single(h.Server.Requests).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChat_RateLimited_MovedToAnotherKeyAndKeyCooledForTheModelInTheBody()
    {
        await using var h = await Harness();
        h.Server.Script(h.Keys[0], FakeReply.Error("429-openai-bare"));

        ChatCompletion completion = await Chat(h, Pro).CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal(FakeReply.ChatText, completion.Content[0].Text);
        Assert.Equal([0, 1], h.KeysSeen());
        Assert.Equal(KeyAvailability.ModelBlocked, h.Status(0, Pro).Availability);
        Assert.Equal(HandlerHarness.Start.AddSeconds(60), h.Status(0, Pro).AvailableAt);
        Assert.True(h.Status(0, Flash).IsUsable);
        Assert.True(h.Status(0).IsUsable); // only the model is cooled, not the whole key
        await Chat(h, Pro).CompleteChatAsync([new UserChatMessage("again")]);
        Assert.NotEqual(0, h.KeysSeen()[^1]);
    }

    [Fact]
    public async Task CompleteChat_QuotaErrorNamingAnotherModel_CoolsTheModelTheErrorNames()
    {
        await using var h = await Harness();
        h.Server.Script(h.Keys[0], FakeReply.Error("429-openai-per-minute-requests"));

        await Chat(h, Pro).CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal([0, 1], h.KeysSeen());
        Assert.Equal(HandlerHarness.Start.AddSeconds(30), h.Status(0, Flash).AvailableAt);
        Assert.True(h.Status(0, Pro).IsUsable);
    }

    [Fact]
    public async Task CompleteChat_InvalidKey_KeyDisabledAndRequestRetried()
    {
        await using var h = await Harness();
        h.Server.Script(h.Keys[0], FakeReply.Error("400-openai-api-key-invalid"));

        ChatCompletion completion = await Chat(h, Flash).CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal(FakeReply.ChatText, completion.Content[0].Text);
        Assert.Equal([0, 1], h.KeysSeen());
        Assert.Equal(KeyAvailability.Disabled, h.Status(0).Availability);
        Assert.Equal(FailureKind.InvalidKey, h.Status(0).State.DisabledKind);
    }

    [Fact]
    public async Task ExtensionsAIChatClient_ResponseAndStream_ThroughTheHandler()
    {
        await using var h = await Harness();
        h.Server.Script(h.Keys[0], FakeReply.Error("429-openai-bare"));
        IChatClient chat = Chat(h, Flash).AsIChatClient();

        var response = await chat.GetResponseAsync("hi");
        var streamed = new List<string>();
        await foreach (var update in chat.GetStreamingResponseAsync("hi"))
        {
            streamed.Add(update.Text);
        }

        Assert.Equal(FakeReply.ChatText, response.Text);
        Assert.Equal(string.Concat(FakeReply.StreamWords), string.Concat(streamed));
        Assert.Equal(KeyAvailability.ModelBlocked, h.Status(0, Flash).Availability);
        Assert.DoesNotContain(0, h.KeysSeen()[1..]);
    }

    private static Task<HandlerHarness> Harness() =>
        HandlerHarness.StartAsync(keys: 3, configure: o => o.UseGeminiOpenAICompatibility());

    /// <summary>The SDK as users set it up: its transport is the HttpClient with the handler; the credential is a placeholder
    /// the handler replaces with a pool key; the SDK's own retries are off (the handler retries on another key).</summary>
    private static ChatClient Chat(HandlerHarness h, string model) =>
        new(model, new ApiKeyCredential("placeholder"), new OpenAIClientOptions
        {
            Endpoint = new Uri(h.Server.BaseAddress, "v1beta/openai/"),
            Transport = new HttpClientPipelineTransport(h.Client),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });
}
