using System.Text.Json;
using ApiKeys.Cli.Tests.Support;
using ApiKeys.Pool;

namespace ApiKeys.Cli.Tests.Commands;

public sealed class CheckCommandTests
{
    [Fact]
    public void Check_ValidAndInvalidKey_ProgressTableInvalidDisabledExit1()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        using var server = new FakeGemini();
        server.Fail(TestKeys.Dd4x, "400-api-key-invalid");

        var result = CliRunner.Run(dir.Path, "", "check", "--base-url", server.BaseAddress);

        Assert.Equal(1, result.ExitCode);
        var progress = result.Error.Split('\n').Where(l => l.StartsWith("checking", StringComparison.Ordinal));
        Assert.Equal(["checking 1/2 AIza...YNQs ... Valid", "checking 2/2 AIza...dD4X ... Invalid"], progress);
        Assert.Contains("WARNING - Key AIza...dD4X", result.Error);
        Assert.StartsWith("KEY          RESULT   HTTP  TIME", result.Lines[0], StringComparison.Ordinal);
        Assert.StartsWith("AIza...YNQs  Valid    200  ", result.Lines[1], StringComparison.Ordinal);
        Assert.StartsWith("AIza...dD4X  Invalid  400  ", result.Lines[2], StringComparison.Ordinal);
        Assert.Contains("API key not valid", result.Lines[2]);
        Assert.Equal("1 of 2 keys valid.", result.Lines[3]);
        Assert.Equal(["/v1beta/models", "/v1beta/models"], server.Paths);
        using var manager = Library.Open(dir.Path);
        var statuses = manager.GetStatuses();
        Assert.True(statuses[0].IsUsable);
        Assert.Equal(KeyAvailability.Disabled, statuses[1].Availability);
    }

    [Fact]
    public void Check_OneKeyBySelector_OnlyThatKeyExit0()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        using var server = new FakeGemini();
        server.Fail(TestKeys.Dd4x, "400-api-key-invalid");

        var result = CliRunner.Run(dir.Path, "", "check", "YNQs", "--base-url", server.BaseAddress);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("checking 1/1 AIza...YNQs ... Valid\n", result.Error);
        Assert.Single(server.Paths);
    }

    [Fact]
    public void Check_Json_OneObjectPerKeyMasksOnly()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs, TestKeys.Dd4x]);
        using var server = new FakeGemini();
        server.Fail(TestKeys.Dd4x, "403-consumer-suspended");

        var result = CliRunner.Run(dir.Path, "", "check", "--json", "--base-url", server.BaseAddress);

        Assert.Equal(1, result.ExitCode);
        using var json = JsonDocument.Parse(result.Out);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal(["id", "mask", "outcome", "valid", "statusCode", "elapsedMs", "kind", "message"], items[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("AIza...YNQs", items[0].GetProperty("mask").GetString());
        Assert.True(items[0].GetProperty("valid").GetBoolean());
        Assert.Equal(200, items[0].GetProperty("statusCode").GetInt32());
        Assert.Equal(JsonValueKind.Null, items[0].GetProperty("message").ValueKind);
        Assert.Equal("Suspended", items[1].GetProperty("outcome").GetString());
        Assert.False(items[1].GetProperty("valid").GetBoolean());
        Assert.Equal(403, items[1].GetProperty("statusCode").GetInt32());
        Assert.StartsWith("k_", items[1].GetProperty("id").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ServerDown_UnreachableExit1KeyNotDisabled()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);
        string url;
        using (var server = new FakeGemini())
        {
            url = server.BaseAddress;
        }

        var result = CliRunner.Run(dir.Path, "", "check", "--base-url", url);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("checking 1/1 AIza...YNQs ... Unreachable\n", result.Error);
        Assert.True(Library.Open(dir.Path).GetStatuses()[0].IsUsable);
    }

    [Fact]
    public void Check_BaseUrlNotHttp_UsageError()
    {
        using var dir = new TempDirectory();
        SeedStore.Write(dir.Path, [TestKeys.Ynqs]);

        var result = CliRunner.Run(dir.Path, "", "check", "--base-url", "ftp://example.com");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--base-url 'ftp://example.com' is not an http(s) address", result.Error);
    }

    [Fact]
    public void Check_NoKeys_Exit1()
    {
        using var dir = new TempDirectory();

        var result = CliRunner.Run(dir.Path, "", "check", "--base-url", "http://127.0.0.1:9/");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("apikeys: No API keys stored.\n", result.Error);
    }
}
