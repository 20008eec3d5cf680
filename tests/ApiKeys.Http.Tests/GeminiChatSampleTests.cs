using System.Diagnostics;
using ApiKeys.Http.Tests.Support;

namespace ApiKeys.Http.Tests;

/// <summary>Runs samples/GeminiChat as a process against the fake Gemini server.</summary>
public class GeminiChatSampleTests
{
    [Fact]
    public async Task Main_FirstKeyRateLimited_PrintsAnswerFromSecondKey()
    {
        await using var server = await FakeGeminiServer.StartAsync();
        var keys = TestKeys.Many(2);
        server.Script(keys[0], FakeReply.Error("429-per-minute-requests"));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(SampleDll());
        start.ArgumentList.Add("--base-url");
        start.ArgumentList.Add(server.BaseAddress.ToString());
        start.ArgumentList.Add("Hello");
        start.Environment["GEMINI_KEY_1"] = keys[0];
        start.Environment["GEMINI_KEY_2"] = keys[1];

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(0, process.ExitCode);
        Assert.Equal("Hello from the fake", (await stdout).Trim());
        Assert.Equal("", await stderr);
        Assert.Equal(2, server.Requests.Count);
        Assert.All(server.Requests, r => Assert.Equal("/v1beta/models/gemini-2.5-flash:generateContent", r.Path));
    }

    private static string SampleDll()
    {
        // tests/ApiKeys.Http.Tests/bin/<Configuration>/net10.0 -> samples/GeminiChat/bin/<Configuration>/net10.0
        var dir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = dir.Name;
        string configuration = dir.Parent!.Name;
        string repo = dir.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        string path = Path.Combine(repo, "samples", "GeminiChat", "bin", configuration, framework, "GeminiChat.dll");
        Assert.True(File.Exists(path), $"the sample is built by the test project's reference: {path}");
        return path;
    }
}
