namespace ApiKeys.Http.Usage;

/// <summary>
/// What a caller adds to a request's accounting, in <see cref="HttpRequestMessage.Options"/> under <see cref="OptionKey"/>: its
/// own dimensions (the client token's name, the route), and whether it emits the record itself when its request ends (the
/// gateway, which knows the final status its client got). <see cref="ApiKeyHandler"/> fills <see cref="Record"/>.
/// </summary>
public sealed class UsageScope
{
    /// <summary>The key of the scope in <see cref="HttpRequestMessage.Options"/>.</summary>
    public static readonly HttpRequestOptionsKey<UsageScope> OptionKey = new("ApiKeys.Usage");

    /// <summary>The client token's name (never the token).</summary>
    public string? TokenName { get; set; }

    /// <summary>The route's name.</summary>
    public string? Route { get; set; }

    /// <summary>
    /// Whether the owner of the scope hands <see cref="Record"/> to a sink itself when its request ends; false: the handler
    /// does, to <see cref="ApiKeyHandlerOptions.UsageSink"/>, once the response body has ended.
    /// </summary>
    /// <value>The default is false.</value>
    public bool EmittedByOwner { get; set; }

    /// <summary>What the handler measured (null until the handler has seen the request).</summary>
    public UsageRecord? Record { get; set; }
}
