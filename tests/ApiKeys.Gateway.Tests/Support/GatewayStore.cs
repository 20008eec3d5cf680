using ApiKeys.Gateway.Tokens;

namespace ApiKeys.Gateway.Tests.Support;

/// <summary>A store directory for a gateway: canary keys added through the pool, client tokens through the token store's API.</summary>
public sealed class GatewayStore : IDisposable
{
    private readonly TempDirectory _dir = new();

    public GatewayStore(params string[] keys)
    {
        Keys = keys;
        if (keys.Length > 0)
        {
            using var pool = ApiKeyManager.Open(_dir.Path);
            foreach (var key in keys)
            {
                pool.AddKey(key);
            }
        }
    }

    public string Path => _dir.Path;

    public string[] Keys { get; }

    /// <summary>Creates a token and returns it (the only time it exists outside the client).</summary>
    public string Token(string name = "tests", int? rpm = null, int? rpd = null, int? concurrency = null, string[]? models = null, DateTimeOffset? expires = null)
    {
        using var store = new JsonClientTokenStore(_dir.Path);
        var created = store.CreateAsync(new ClientTokenRequest
        {
            Name = name,
            RequestsPerMinute = rpm,
            RequestsPerDay = rpd,
            MaxConcurrency = concurrency,
            Models = models,
            ExpiresAt = expires,
        }).AsTask().GetAwaiter().GetResult();
        return created.Token;
    }

    public void Dispose() => _dir.Dispose();
}
