using System.Net;
using System.Text;
using System.Text.Json;
using ApiKeys.Gateway.Tests.Support;

namespace ApiKeys.Gateway.Tests;

/// <summary>A file or cached content lives in the project of the key that created it: every request naming it goes with that key.</summary>
public sealed class ResourceTests
{
    [Fact]
    public async Task Files_ResumableUpload_ThenEveryUseGoesWithTheUploadingKey()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 3);

        using var start = h.Gemini("upload/v1beta/files", "{\"file\":{\"display_name\":\"notes\"}}");
        start.Headers.TryAddWithoutValidation("X-Goog-Upload-Protocol", "resumable");
        start.Headers.TryAddWithoutValidation("X-Goog-Upload-Command", "start");
        using var started = await h.SendAsync(start);
        string uploadUrl = started.Headers.GetValues("x-goog-upload-url").Single();
        string owner = h.Server.Requests.Last().GoogKey!;
        using var upload = h.Gemini(uploadUrl, "hello file");
        upload.Headers.TryAddWithoutValidation("X-Goog-Upload-Command", "upload, finalize");
        upload.Headers.TryAddWithoutValidation("X-Goog-Upload-Offset", "0");
        using var uploaded = await h.SendAsync(upload);
        using var doc = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync());
        string name = doc.RootElement.GetProperty("file").GetProperty("name").GetString()!;
        string uri = doc.RootElement.GetProperty("file").GetProperty("uri").GetString()!;
        int before = h.Server.Requests.Count;
        for (int i = 0; i < 3; i++)
        {
            using var get = await h.SendAsync(h.Gemini("v1beta/" + name, body: null));
            using var generate = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent",
                "{\"contents\":[{\"parts\":[{\"fileData\":{\"mimeType\":\"text/plain\",\"fileUri\":\"" + uri + "\"}},{\"text\":\"summarise\"}]}]}"));
            Assert.Equal(HttpStatusCode.OK, get.StatusCode);
            Assert.Equal(HttpStatusCode.OK, generate.StatusCode);
        }

        using var delete = await h.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "v1beta/" + name) { Headers = { { "x-goog-api-key", h.Token } } });

        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        Assert.StartsWith(h.Gateway.BaseAddress + "upload/v1beta/files?upload_id=", uploadUrl, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        Assert.Equal(owner, h.Server.Requests.ElementAt(1).GoogKey);
        Assert.All(h.Server.Requests.Skip(before), r => Assert.Equal(owner, r.GoogKey));
        Assert.Equal(7, h.Server.Requests.Count - before);
    }

    [Fact]
    public async Task CachedContent_Created_ThenGenerateWithItGoesWithTheCreatingKey()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 3);

        using var created = await h.SendAsync(h.Gemini("v1beta/cachedContents", "{\"model\":\"models/gemini-2.5-flash\",\"contents\":[]}"));
        string name;
        using (var doc = JsonDocument.Parse(await created.Content.ReadAsStringAsync()))
        {
            name = doc.RootElement.GetProperty("name").GetString()!;
        }

        string owner = h.Server.Requests.Last().GoogKey!;
        for (int i = 0; i < 4; i++)
        {
            using var response = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent", "{\"cachedContent\":\"" + name + "\",\"contents\":[]}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var plain1 = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent"));
        using var plain2 = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent"));

        Assert.StartsWith("cachedContents/", name, StringComparison.Ordinal);
        Assert.All(h.Server.Requests.Skip(1).Take(4), r => Assert.Equal(owner, r.GoogKey));
        Assert.NotEqual(h.Server.Requests.ElementAt(5).GoogKey, h.Server.Requests.ElementAt(6).GoogKey);
    }

    [Fact]
    public async Task Owners_AfterARestart_StillSendEveryUseWithTheCreatingKey()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 3);
        using var created = await h.SendAsync(h.Gemini("v1beta/cachedContents", "{\"model\":\"models/gemini-2.5-flash\",\"contents\":[]}"));
        string cached = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("name").GetString()!;
        string cacheOwner = h.Server.Requests.Last().GoogKey!;
        using var upload = h.Gemini("upload/v1beta/files", "one part");
        upload.Headers.TryAddWithoutValidation("X-Goog-Upload-Protocol", "multipart");
        using var uploaded = await h.SendAsync(upload);
        string file = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync()).RootElement.GetProperty("file").GetProperty("name").GetString()!;
        string fileOwner = h.Server.Requests.Last().GoogKey!;
        Assert.Equal(0, await h.Gateway.StopAsync());
        int before = h.Server.Requests.Count;

        await using var restarted = await GatewayProcess.StartAsync(h.Store.Path, h.Server.BaseAddress);
        for (int i = 0; i < 4; i++)
        {
            using var generate = h.Gemini("v1beta/models/gemini-2.5-flash:generateContent", "{\"cachedContent\":\"" + cached + "\",\"contents\":[]}");
            using var withCache = await restarted.Client.SendAsync(generate);
            using var get = h.Gemini("v1beta/" + file, body: null);
            using var fileGot = await restarted.Client.SendAsync(get);
            Assert.Equal(HttpStatusCode.OK, withCache.StatusCode);
            Assert.Equal(HttpStatusCode.OK, fileGot.StatusCode);
        }

        var after = h.Server.Requests.Skip(before).ToList();
        Assert.Equal(8, after.Count);
        Assert.All(after.Where(r => r.Path.EndsWith(":generateContent", StringComparison.Ordinal)), r => Assert.Equal(cacheOwner, r.GoogKey));
        Assert.All(after.Where(r => r.Path.EndsWith(file, StringComparison.Ordinal)), r => Assert.Equal(fileOwner, r.GoogKey));
        string saved = await File.ReadAllTextAsync(Path.Combine(h.Store.Path, Gateway.Resources.JsonResourceOwners.FileName));
        Assert.Contains(cached, saved, StringComparison.Ordinal);
        Assert.Contains(Keys.KeyIds.For(cacheOwner), saved, StringComparison.Ordinal);
        TestKeys.AssertNoSecret(saved, "the resource owners file");
    }

    [Fact]
    public async Task PinnedKey_Fails_ErrorPassesThroughMaskedAndTheKeyIsCharged()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 2);
        using var created = await h.SendAsync(h.Gemini("v1beta/cachedContents", "{\"model\":\"models/gemini-2.5-flash\"}"));
        string name = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("name").GetString()!;
        string owner = h.Server.Requests.Last().GoogKey!;
        h.Server.Always(owner, FakeReply.Error("403-consumer-suspended"));

        using var response = await h.SendAsync(h.Gemini("v1beta/" + name, body: null));
        string body = await response.Content.ReadAsStringAsync();
        await h.Gateway.StopAsync();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Suspended", response.Headers.GetValues("x-apikeys-failure").Single());
        TestKeys.AssertNoSecret(body, "the error body");
        Assert.Equal(2, h.Server.Requests.Count);
        using var pool = ApiKeyManager.Open(h.Store.Path);
        Assert.False(pool.GetStatuses().Single(s => s.Id == Keys.KeyIds.For(owner)).IsUsable);
    }

    [Fact]
    public async Task PinnedKey_GenerateWithACachedContent_TokensCountedForTheOwningKey()
    {
        await using var h = await GatewayHarness.StartAsync(keys: 2);
        foreach (var key in h.Keys)
        {
            h.Server.Always(key, FakeReply.WithUsage());
        }

        using var created = await h.SendAsync(h.Gemini("v1beta/cachedContents", "{\"model\":\"models/gemini-2.5-flash\",\"contents\":[]}"));
        string name = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("name").GetString()!;
        string owner = Keys.KeyIds.For(h.Server.Requests.Last().GoogKey!);
        for (int i = 0; i < 2; i++)
        {
            using var response = await h.SendAsync(h.Gemini("v1beta/models/gemini-2.5-flash:generateContent", "{\"cachedContent\":\"" + name + "\",\"contents\":[]}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(0, await h.Gateway.StopAsync());
        var (code, output, error) = await CliProcess.RunAsync(h.Store.Path, "usage", "--json", "--by", "key", "--since", "1h");

        Assert.True(code == 0, error);
        using var usage = JsonDocument.Parse(output);
        var row = Assert.Single(usage.RootElement.GetProperty("rows").EnumerateArray());
        var tokens = row.GetProperty("tokens");
        var each = FakeReply.GenerateUsage;
        Assert.Equal((owner, 3), (row.GetProperty("group").GetString(), row.GetProperty("requests").GetInt32()));
        Assert.Equal((2 * each.Prompt, 2 * each.Output, 2 * each.Cached, 2 * each.Thoughts), (tokens.GetProperty("input").GetInt32(), tokens.GetProperty("output").GetInt32(),
            tokens.GetProperty("cached").GetInt32(), tokens.GetProperty("thinking").GetInt32()));
    }
}
