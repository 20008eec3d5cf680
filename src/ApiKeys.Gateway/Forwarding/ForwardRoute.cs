namespace ApiKeys.Gateway.Forwarding;

/// <summary>What one request forwards: the API it speaks, the upstream path, and where its model comes from.</summary>
/// <param name="Name">The route's name in logs and metrics (<c>generateContent</c>, <c>chat/completions</c>).</param>
/// <param name="Flavor">The API.</param>
/// <param name="UpstreamPath">The path on the upstream, without query (<c>v1beta/models/gemini-2.5-flash:generateContent</c>).</param>
/// <param name="Model">The model named by the path, if any.</param>
/// <param name="ModelInBody">Whether the JSON body's <c>model</c> names it (the OpenAI-compatible routes).</param>
public sealed record ForwardRoute(string Name, RouteFlavor Flavor, string UpstreamPath, string? Model = null, bool ModelInBody = false)
{
    /// <summary>The resource the path names (<c>files/x</c>, <c>cachedContents/x</c>, <c>upload:ID</c>): it goes with the key that created it.</summary>
    public string? Resource { get; init; }

    /// <summary>
    /// Whether a success creates a resource, or renews it (a PATCH of a cached content's <c>ttl</c>): its name, or an upload's
    /// address, is remembered with the key, until the end the answer names.
    /// </summary>
    public bool Creates { get; init; }

    /// <summary>Whether a success deletes <see cref="Resource"/>.</summary>
    public bool Deletes { get; init; }

    /// <summary>Whether this object serves many requests (kept by its endpoint): what is derived from it may be kept with it.</summary>
    internal bool Reused { get; init; }
}
