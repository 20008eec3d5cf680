using System.Text.RegularExpressions;

namespace ApiKeys.Gateway.Tokens;

/// <summary>What <c>apikeys token create</c> asks for.</summary>
public sealed partial record ClientTokenRequest
{
    /// <summary>The name (1 to 64 letters, digits, '.', '_' or '-'), unique in the store.</summary>
    public required string Name { get; init; }

    /// <summary>The models allowed; null or empty: every model.</summary>
    public IReadOnlyList<string>? Models { get; init; }

    /// <summary>Requests per minute; null: no limit.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Requests per day; null: no limit.</summary>
    public int? RequestsPerDay { get; init; }

    /// <summary>Requests in flight at once; null: no limit.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>When the token stops working; null: never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Checks the request.</summary>
    /// <exception cref="ArgumentException">A field is not valid; the message says which and why.</exception>
    public void Validate(DateTimeOffset now)
    {
        if (!ValidName().IsMatch(Name ?? ""))
        {
            throw new ArgumentException($"the token name must be 1 to 64 letters, digits, '.', '_' or '-'; it is '{Name}'.");
        }

        Positive(RequestsPerMinute, "--rpm");
        Positive(RequestsPerDay, "--rpd");
        Positive(MaxConcurrency, "--concurrency");
        if (ExpiresAt is { } end && end <= now)
        {
            throw new ArgumentException($"the expiry {end:u} is in the past.");
        }

        foreach (var model in Models ?? [])
        {
            if (string.IsNullOrWhiteSpace(model) || model.Contains('*', StringComparison.Ordinal) && !model.EndsWith('*'))
            {
                throw new ArgumentException($"'{model}' is not a model name (a name, or a prefix ending in '*').");
            }
        }
    }

    private static void Positive(int? value, string what)
    {
        if (value is <= 0)
        {
            throw new ArgumentException($"{what} must be a positive number; it is {value}.");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ValidName();

    /// <summary>The token as a store keeps it: this request's name and limits (models normalized), the token's hash, created now.</summary>
    internal ClientToken ToToken(string hash, DateTimeOffset now) => new()
    {
        Name = Name,
        Hash = hash,
        Models = Models is { Count: > 0 } m ? [.. m.Select(ModelNames.Normalize)] : null,
        RequestsPerMinute = RequestsPerMinute,
        RequestsPerDay = RequestsPerDay,
        MaxConcurrency = MaxConcurrency,
        CreatedAt = now,
        ExpiresAt = ExpiresAt,
    };
}
