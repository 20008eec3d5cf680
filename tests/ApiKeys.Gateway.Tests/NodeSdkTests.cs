using System.Diagnostics;
using System.Text.Json;
using ApiKeys.Gateway.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>
/// The Node SDKs people use, @google/genai and openai (versions pinned in node/package-lock.json, installed by
/// scripts/install-node-clients.sh), run as real processes against the gateway with only their base URL changed.
/// </summary>
public sealed class NodeSdkTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly GatewayHarness _h = fixture.Harness;

    [Theory]
    [InlineData("genai")]
    [InlineData("openai")]
    public async Task Generate_ThroughTheGateway(string sdk)
    {
        var result = await RunAsync(sdk, "generate", _h.Token);

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal("Hello from the fake", result.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("genai")]
    [InlineData("openai")]
    public async Task Stream_EveryChunkInOrder(string sdk)
    {
        var result = await RunAsync(sdk, "stream", _h.Token);

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal(FakeReply.StreamWords, result.GetProperty("parts").EnumerateArray().Select(p => p.GetString()).Where(p => p!.Length > 0));
    }

    [Theory]
    [InlineData("genai", "400-api-key-invalid")]
    [InlineData("genai", "429-per-minute-requests")]
    [InlineData("openai", "429-per-minute-requests")]
    public async Task FailingKey_MovedToAnotherKey(string sdk, string error)
    {
        var reply = sdk == "openai" ? FakeReply.ErrorArray(error) : FakeReply.Error(error);
        _h.Server.Always(_h.Keys[0], reply);
        _h.Server.Always(_h.Keys[1], reply);

        bool OnFirstKey(RecordedRequest r) => r.GoogKey == _h.Keys[0] || r.Authorization == "Bearer " + _h.Keys[0];
        int before = _h.Server.Requests.Count(OnFirstKey);
        var results = new List<JsonElement>();
        for (int i = 0; i < 3; i++)
        {
            results.Add(await RunAsync(sdk, "generate", _h.Token));
        }

        Assert.All(results, r => Assert.True(r.GetProperty("ok").GetBoolean(), r.ToString()));
        // The failing key is tried once at most, then left alone (cooled or disabled): every call succeeded on another.
        Assert.InRange(_h.Server.Requests.Count(OnFirstKey) - before, 0, 1);
    }

    [Theory]
    [InlineData("genai")]
    [InlineData("openai")]
    public async Task InvalidToken_401(string sdk)
    {
        var result = await RunAsync(sdk, "invalid", "akg_" + new string('x', 43));

        Assert.False(result.GetProperty("ok").GetBoolean());
        Assert.Equal(401, result.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Embed_OneText_ThroughTheGateway()
    {
        var result = await RunAsync("genai", "embed", _h.Token);

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal(3, result.GetProperty("values").GetArrayLength());
    }

    private async Task<JsonElement> RunAsync(string sdk, string scenario, string token)
    {
        string dir = NodeDirectory();
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = dir,
        };
        info.ArgumentList.Add(Path.Combine(dir, "client.mjs"));
        info.ArgumentList.Add(sdk);
        info.ArgumentList.Add(scenario);
        info.Environment["BASE_URL"] = _h.Gateway.BaseAddress.ToString();
        info.Environment["TOKEN"] = token;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        string output = await stdout;
        TestKeys.AssertNoSecret(output + await stderr, "the Node client's output");
        string? last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        Assert.True(last is not null && last.StartsWith('{'), $"node {sdk} {scenario} printed no result (exit {process.ExitCode}): {await stderr}");
        return JsonDocument.Parse(last).RootElement.Clone();
    }

    private static string NodeDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "node");
            if (File.Exists(Path.Combine(candidate, "client.mjs")))
            {
                Assert.True(Directory.Exists(Path.Combine(candidate, "node_modules", "@google", "genai")) && Directory.Exists(Path.Combine(candidate, "node_modules", "openai")),
                    $"The Node SDKs are not installed in {candidate}: run scripts/install-node-clients.sh (scripts/test.sh does).");
                return candidate;
            }
        }

        throw new InvalidOperationException("tests/ApiKeys.Gateway.Tests/node/client.mjs not found above " + AppContext.BaseDirectory);
    }
}
