using ApiKeys.Gateway.Tokens;
using Microsoft.Extensions.Time.Testing;

namespace ApiKeys.Gateway.Tests.Units;

/// <summary>
/// A token found once is remembered, and forgotten the moment the tokens file changes, whoever changed it: a writer counts
/// its change in the shared counter, which every lookup reads; a change nobody counted is seen within the recheck interval.
/// </summary>
public sealed class TokenLookupTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("apikeys-token-lookup-").FullName;

    [Fact]
    public async Task Find_RememberedThenRevokedByAnotherStore_NotFoundAtTheNextLookup()
    {
        using var gateway = new JsonClientTokenStore(_dir);
        using var cli = new JsonClientTokenStore(_dir);
        string token = (await cli.CreateAsync(new ClientTokenRequest { Name = "app" })).Token;

        var first = await gateway.FindAsync(token);
        var second = await gateway.FindAsync(token);
        await cli.RevokeAsync("app");
        var revoked = await gateway.FindAsync(token);
        string other = (await cli.CreateAsync(new ClientTokenRequest { Name = "other" })).Token;

        Assert.Equal("app", first?.Name);
        Assert.Equal("app", second?.Name);
        Assert.Null(revoked);
        Assert.Equal("other", (await gateway.FindAsync(other))?.Name);
        Assert.Null(await gateway.FindAsync(token));
        Assert.Null(await gateway.FindAsync(other[..^1] + (other[^1] == 'A' ? 'B' : 'A')));
    }

    [Fact]
    public async Task Find_ChangedByAWriterThatDoesNotCount_SeenWithinTheRecheckInterval()
    {
        var time = new FakeTimeProvider();
        using var gateway = new JsonClientTokenStore(_dir, time);
        using var cli = new JsonClientTokenStore(_dir);
        await cli.CreateAsync(new ClientTokenRequest { Name = "first" });
        byte[] withoutApp = await File.ReadAllBytesAsync(cli.TokensPath);
        string token = (await cli.CreateAsync(new ClientTokenRequest { Name = "app" })).Token;
        Assert.Equal("app", (await gateway.FindAsync(token))?.Name);
        Assert.Equal("app", (await gateway.FindAsync(token))?.Name);

        // An older version, or a hand edit: the file is replaced and the counter left as it was.
        await File.WriteAllBytesAsync(cli.TokensPath, withoutApp);
        var trusted = await gateway.FindAsync(token);
        time.Advance(JsonClientTokenStore.RecheckInterval);
        var rechecked = await gateway.FindAsync(token);

        Assert.True(File.Exists(Path.Combine(_dir, JsonClientTokenStore.ChangesFileName)));
        Assert.Equal("app", trusted?.Name);
        Assert.Null(rechecked);
    }

    [Fact]
    public async Task Find_StoreWithoutItsCounter_LooksAtTheFileEachTime()
    {
        using var cli = new JsonClientTokenStore(_dir);
        await cli.CreateAsync(new ClientTokenRequest { Name = "first" });
        byte[] withoutApp = await File.ReadAllBytesAsync(cli.TokensPath);
        string token = (await cli.CreateAsync(new ClientTokenRequest { Name = "app" })).Token;

        // A counter that cannot be opened (here: a directory where its file would be): no trust, the stamp every lookup.
        File.Delete(Path.Combine(_dir, JsonClientTokenStore.ChangesFileName));
        Directory.CreateDirectory(Path.Combine(_dir, JsonClientTokenStore.ChangesFileName));
        using var blind = new JsonClientTokenStore(_dir, new FakeTimeProvider());
        var found = await blind.FindAsync(token);
        await File.WriteAllBytesAsync(cli.TokensPath, withoutApp);

        Assert.Equal("app", found?.Name);
        Assert.Null(await blind.FindAsync(token));
    }

    [Fact]
    public void Matcher_RemembersOnlyWhatMatched()
    {
        using var hasher = new TokenHasher(TokenHasher.NewSecret());
        string token = ClientTokenFormat.Generate();
        var matcher = new TokenMatcher(hasher, [new ClientTokenRequest { Name = "app" }.ToToken(hasher.HashHex(token), DateTimeOffset.UnixEpoch)]);

        var guessed = matcher.Find(ClientTokenFormat.Generate());
        int afterGuess = matcher.Remembered;
        var first = matcher.Find(token);
        var second = matcher.Find(token);

        Assert.Null(guessed);
        Assert.Equal(0, afterGuess);
        Assert.Equal("app", first?.Name);
        Assert.Same(first, second);
        Assert.Equal(1, matcher.Remembered);
    }

    [Fact]
    public async Task Find_CounterMovedStampAlike_ReadAgain()
    {
        using var gateway = new JsonClientTokenStore(_dir, new FakeTimeProvider());
        using var cli = new JsonClientTokenStore(_dir, new FakeTimeProvider()); // one creation time: files of one length
        string token = (await cli.CreateAsync(new ClientTokenRequest { Name = "app" })).Token;
        var stamp = File.GetLastWriteTimeUtc(cli.TokensPath);
        long length = new FileInfo(cli.TokensPath).Length;
        Assert.Equal("app", (await gateway.FindAsync(token))?.Name);
        Assert.Equal("app", (await gateway.FindAsync(token))?.Name);

        // A revoke and a create of the same length within the file time's tick: the stamp says nothing changed.
        await cli.RevokeAsync("app");
        await cli.CreateAsync(new ClientTokenRequest { Name = "ppa" });
        File.SetLastWriteTimeUtc(cli.TokensPath, stamp);

        Assert.Equal((length, stamp), (new FileInfo(cli.TokensPath).Length, File.GetLastWriteTimeUtc(cli.TokensPath)));
        Assert.Null(await gateway.FindAsync(token));
    }

    [Fact]
    public async Task Create_CounterFileUnusable_TokenStillCreatedAndFound()
    {
        // Not an 8-byte counter (a file of another size): no counter, and no write fails for it.
        await File.WriteAllTextAsync(Path.Combine(_dir, JsonClientTokenStore.ChangesFileName), "not a counter at all");
        using var cli = new JsonClientTokenStore(_dir);
        using var gateway = new JsonClientTokenStore(_dir, new FakeTimeProvider());

        string token = (await cli.CreateAsync(new ClientTokenRequest { Name = "app" })).Token;

        Assert.Equal("app", (await gateway.FindAsync(token))?.Name);
        await gateway.CheckAsync();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
