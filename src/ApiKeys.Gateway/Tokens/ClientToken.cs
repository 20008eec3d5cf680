namespace ApiKeys.Gateway.Tokens;

/// <summary>
/// A client token as the gateway keeps it: its name, limits and the HMAC of the token (never the token itself).
/// </summary>
public sealed record ClientToken
{
    /// <summary>The token's name (unique; shown in logs and listings).</summary>
    public required string Name { get; init; }

    /// <summary>HMAC-SHA256 of the token under the store's secret, lowercase hex.</summary>
    public required string Hash { get; init; }

    /// <summary>The models the token may use (exact names, or a prefix ending in <c>*</c>); null: every model.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>The most requests in one minute; null: no limit.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>The most requests in one day; null: no limit.</summary>
    public int? RequestsPerDay { get; init; }

    /// <summary>The most requests in flight at once; null: no limit.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>When the token was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the token stops working; null: never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Whether the token has limits at all.</summary>
    public bool HasLimits => RequestsPerMinute is not null || RequestsPerDay is not null || MaxConcurrency is not null;

    /// <summary>Whether the token has expired at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } end && now >= end;

    /// <summary>Whether the token may use <paramref name="model"/> (<c>models/</c> prefix ignored); a request naming no model is allowed.</summary>
    public bool AllowsModel(string? model)
    {
        if (Models is null || string.IsNullOrEmpty(model))
        {
            return true;
        }

        string name = ModelNames.Normalize(model);
        foreach (var allowed in Models)
        {
            string pattern = ModelNames.Normalize(allowed);
            bool match = pattern.EndsWith('*')
                ? name.StartsWith(pattern.AsSpan(0, pattern.Length - 1), StringComparison.Ordinal)
                : string.Equals(name, pattern, StringComparison.Ordinal);
            if (match)
            {
                return true;
            }
        }

        return false;
    }
}
