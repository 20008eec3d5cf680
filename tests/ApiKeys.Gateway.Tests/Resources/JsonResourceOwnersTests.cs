using ApiKeys.Gateway.Resources;
using ApiKeys.Gateway.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Gateway.Tests.Resources;

/// <summary>Which key created a file or cached content, kept in the store directory: across restarts and processes, until the resource ends.</summary>
public sealed class JsonResourceOwnersTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Remember_ThenANewInstance_FindsTheOwnerInAPrivateFileWithIdsOnly()
    {
        using (var owners = new JsonResourceOwners(_dir.Path, _time))
        {
            await owners.RememberAsync("files/abc", "k_0123456789ab", TimeSpan.FromHours(48));
        }

        using var restarted = new JsonResourceOwners(_dir.Path, _time);

        Assert.Equal("k_0123456789ab", await restarted.OwnerAsync("files/abc"));
        Assert.Null(await restarted.OwnerAsync("files/other"));
        string text = await File.ReadAllTextAsync(restarted.FilePath);
        Assert.Contains("\"files/abc\"", text, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(restarted.FilePath));
    }

    [Fact]
    public async Task Entry_PastItsLifetime_NotFoundAndDroppedFromTheFileAtTheNextWrite()
    {
        using var owners = new JsonResourceOwners(_dir.Path, _time);
        await owners.RememberAsync("cachedContents/short", "k_000000000001", TimeSpan.FromMinutes(10));
        await owners.RememberAsync("files/long", "k_000000000002", TimeSpan.FromHours(48));

        _time.Advance(TimeSpan.FromMinutes(11));
        string? expired = await owners.OwnerAsync("cachedContents/short");
        await owners.RememberAsync("files/new", "k_000000000003", TimeSpan.FromHours(48));

        Assert.Null(expired);
        Assert.Equal("k_000000000002", await owners.OwnerAsync("files/long"));
        string text = await File.ReadAllTextAsync(owners.FilePath);
        Assert.DoesNotContain("cachedContents/short", text, StringComparison.Ordinal);
        Assert.Contains("files/new", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forget_RemovedFromTheFile()
    {
        using var owners = new JsonResourceOwners(_dir.Path, _time);
        await owners.RememberAsync("files/gone", "k_000000000001", TimeSpan.FromHours(48));

        await owners.ForgetAsync("files/gone");
        using var restarted = new JsonResourceOwners(_dir.Path, _time);

        Assert.Null(await owners.OwnerAsync("files/gone"));
        Assert.Null(await restarted.OwnerAsync("files/gone"));
    }

    [Fact]
    public async Task TwoInstances_OnOneStore_EachSeesWhatTheOtherWrote()
    {
        using var first = new JsonResourceOwners(_dir.Path, _time);
        using var second = new JsonResourceOwners(_dir.Path, _time);

        await first.RememberAsync("files/one", "k_000000000001", TimeSpan.FromHours(48));
        await second.RememberAsync("files/two", "k_000000000002", TimeSpan.FromHours(48));

        Assert.Equal("k_000000000002", await first.OwnerAsync("files/two"));
        Assert.Equal("k_000000000001", await second.OwnerAsync("files/one"));
    }

    [Fact]
    public async Task CorruptFile_NeverOverwrittenAndTheOwnerKeptInMemory()
    {
        string path = _dir.File(JsonResourceOwners.FileName);
        await File.WriteAllTextAsync(path, "{\"format\": \"apikeys-resources/1\", \"resources\": [");
        using var owners = new JsonResourceOwners(_dir.Path, _time);

        await owners.RememberAsync("files/abc", "k_000000000001", TimeSpan.FromHours(48));

        Assert.Equal("k_000000000001", await owners.OwnerAsync("files/abc"));
        Assert.Equal("{\"format\": \"apikeys-resources/1\", \"resources\": [", await File.ReadAllTextAsync(path));
    }

    public void Dispose() => _dir.Dispose();
}
