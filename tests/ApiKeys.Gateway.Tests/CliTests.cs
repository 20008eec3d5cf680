using System.Net;
using System.Text.Json;
using ApiKeys.Gateway.Tests.Support;
using ApiKeys.Gateway.Tokens;

namespace ApiKeys.Gateway.Tests;

/// <summary><c>apikeys token</c> and <c>apikeys serve</c>, run as the user runs them.</summary>
public sealed class CliTests
{
    [Fact]
    public async Task TokenCreate_PrintsTheTokenOnceAndTheStoreKeepsOnlyItsHmac()
    {
        using var store = new GatewayStore();

        var created = await CliProcess.RunAsync(store.Path, "token", "create", "--name", "ci", "--models", "gemini-2.5-flash,gemini-2.5-pro", "--rpm", "60", "--concurrency", "4", "--expires", "30d");
        var listed = await CliProcess.RunAsync(store.Path, "token", "list", "--json");
        string token = created.Out.Trim();
        string file = await File.ReadAllTextAsync(Path.Combine(store.Path, JsonClientTokenStore.TokensFileName));

        Assert.Equal(0, created.ExitCode);
        Assert.True(ClientTokenFormat.IsToken(token), created.Out);
        Assert.Contains("shown once", created.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(token, file, StringComparison.Ordinal);
        Assert.DoesNotContain(token[4..], listed.Out, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(store.Path, JsonClientTokenStore.TokensFileName)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(store.Path, JsonClientTokenStore.SecretFileName)));
        using var doc = JsonDocument.Parse(listed.Out);
        var entry = doc.RootElement.EnumerateArray().Single();
        Assert.Equal("ci", entry.GetProperty("name").GetString());
        Assert.Equal(60, entry.GetProperty("rpm").GetInt32());
        Assert.Equal(4, entry.GetProperty("concurrency").GetInt32());
        Assert.Equal(2, entry.GetProperty("models").GetArrayLength());
        Assert.False(entry.GetProperty("expired").GetBoolean());
    }

    [Theory]
    [InlineData("--rpm", "0")]
    [InlineData("--expires", "yesterday-ish")]
    [InlineData("--name", "has space")]
    public async Task TokenCreate_BadInput_UsageErrorAndNothingWritten(string option, string value)
    {
        using var store = new GatewayStore();
        string[] args = option == "--name" ? ["token", "create", option, value] : ["token", "create", "--name", "ok", option, value];

        var result = await CliProcess.RunAsync(store.Path, args);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("apikeys: ", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(store.Path, JsonClientTokenStore.TokensFileName)));
    }

    [Fact]
    public async Task TokenCreate_NameTaken_RefusedAndTheFirstKept()
    {
        using var store = new GatewayStore();
        string first = store.Token("taken");

        var again = await CliProcess.RunAsync(store.Path, "token", "create", "--name", "taken");
        var revokeUnknown = await CliProcess.RunAsync(store.Path, "token", "revoke", "nobody");

        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("exists", again.Error, StringComparison.Ordinal);
        Assert.Equal(1, revokeUnknown.ExitCode);
        using var tokens = new JsonClientTokenStore(store.Path);
        Assert.NotNull(await tokens.FindAsync(first));
    }

    [Fact]
    public async Task Serve_RunsTheGatewayOnTheStore()
    {
        await using var server = await FakeGeminiServer.StartAsync();
        using var store = new GatewayStore(TestKeys.Many(2));
        string token = store.Token();

        await using var gateway = await GatewayProcess.StartAsync([.. GatewayProcess.CliLauncher, "--dir", store.Path, "serve", "--upstream", server.BaseAddress.ToString()], []);
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1beta/models/gemini-2.5-flash:generateContent") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", token);
        using var response = await gateway.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(server.Requests.Single().GoogKey, store.Keys);
        Assert.Equal(0, await gateway.StopAsync());
    }

    [Fact]
    public async Task Gateway_InvalidSetting_OneClearLineAndExit1()
    {
        using var store = new GatewayStore();

        var result = await Run("dotnet", GatewayProcess.Dll, "--dir", store.Path, "--upstream", "ftp://nowhere", "--port", "0");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Upstream", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> Run(params string[] command)
    {
        var info = new System.Diagnostics.ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command.Skip(1))
        {
            info.ArgumentList.Add(a);
        }

        using var process = System.Diagnostics.Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await output + await error);
    }
}
