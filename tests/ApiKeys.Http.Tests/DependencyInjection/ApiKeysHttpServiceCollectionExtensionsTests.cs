using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using ApiKeys.Http.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

namespace ApiKeys.Http.Tests.DependencyInjection;

public class ApiKeysHttpServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddApiKeyRotation_ConfiguredPool_ClientRotatesKeysFromConfiguration()
    {
        await using var server = await FakeGeminiServer.StartAsync();
        var keys = TestKeys.Many(2);
        server.Script(keys[0], FakeReply.Error("429-per-minute-requests"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ApiKeys:FailureThreshold"] = "5",
            ["ApiKeys:BaseCooldown"] = "00:00:30",
            ["ApiKeys:RequestLimits:0:Model"] = "gemini-2.5-pro",
            ["ApiKeys:RequestLimits:0:PerMinute"] = "5",
            ["ApiKeys:Keys:0"] = keys[0],
            ["ApiKeys:Keys:1"] = keys[1],
        }).Build();
        var services = new ServiceCollection();
        services.AddApiKeyManager(configuration.GetSection("ApiKeys"));
        services.AddHttpClient("gemini", c => c.BaseAddress = server.BaseAddress).AddApiKeyRotation(o => o.BaseBackoff = TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient("gemini");

        using var response = await client.PostAsync("v1beta/models/gemini-2.5-flash:generateContent", HandlerHarness.Body());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(keys[1], server.Requests.Last().GoogKey);
        var options = provider.GetRequiredService<IOptions<ApiKeyManagerOptions>>().Value;
        Assert.Equal(5, options.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), options.BaseCooldown);
        Assert.Equal(5, Assert.Single(options.RequestLimits).PerMinute);
        Assert.Equal(2, provider.GetRequiredService<IKeyPool>().Keys.Count);
    }

    [Fact]
    public async Task AddApiKeyRotation_GeminiOpenAIPreset_SdkChatClientFromTheFactoryDisablesAnInvalidKey()
    {
        await using var server = await FakeGeminiServer.StartAsync();
        var keys = TestKeys.Many(2);
        server.Script(keys[0], FakeReply.Error("400-openai-api-key-invalid"));
        var services = new ServiceCollection();
        services.AddApiKeyManager().UseKeys(keys);
        services.AddHttpClient("gemini-openai").AddApiKeyRotation(o => o.UseGeminiOpenAICompatibility());
        services.AddSingleton(sp => new ChatClient("gemini-2.5-flash", new ApiKeyCredential("placeholder"), new OpenAIClientOptions
        {
            Endpoint = new Uri(server.BaseAddress, "v1beta/openai/"),
            Transport = new HttpClientPipelineTransport(sp.GetRequiredService<IHttpClientFactory>().CreateClient("gemini-openai")),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        }).AsIChatClient());
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<IChatClient>().GetResponseAsync("hi");

        Assert.Equal(FakeReply.ChatText, response.Text);
        Assert.Equal(["Bearer " + keys[0], "Bearer " + keys[1]], server.Requests.Select(r => r.Authorization));
        Assert.Equal(Pool.KeyAvailability.Disabled, provider.GetRequiredService<IKeyPool>().GetStatuses()[0].Availability);
    }

    [Fact]
    public void AddApiKeyManager_InvalidConfiguration_FailsValidation()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["FailureThreshold"] = "0",
        }).Build();
        var services = new ServiceCollection();
        services.AddApiKeyManager(configuration);
        using var provider = services.BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ApiKeyManagerOptions>>().Value);

        Assert.Contains("FailureThreshold", e.Message, StringComparison.Ordinal);
    }
}
