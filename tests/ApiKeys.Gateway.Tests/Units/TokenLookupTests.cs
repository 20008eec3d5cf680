using ApiKeys.Gateway.Tokens;

namespace ApiKeys.Gateway.Tests.Units;

/// <summary>A token found once is remembered, and forgotten the moment the tokens file changes, whoever changed it.</summary>
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
        Assert.Same(first, second);
        Assert.Null(revoked);
        Assert.Equal("other", (await gateway.FindAsync(other))?.Name);
        Assert.Null(await gateway.FindAsync(token));
        Assert.Null(await gateway.FindAsync(other[..^1] + (other[^1] == 'A' ? 'B' : 'A')));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
