namespace ApiKeys.Usage.Queries;

/// <summary>A token or key whose requests in one hour jumped far above its own recent baseline.</summary>
/// <param name="Dimension"><c>token</c> or <c>key</c>.</param>
/// <param name="Name">The token's name or the key's id.</param>
/// <param name="Hour">The hour's start.</param>
/// <param name="Requests">Its requests in that hour.</param>
/// <param name="BaselineMedian">The median of its requests per hour in the hours before.</param>
public sealed record UsageAnomaly(string Dimension, string Name, DateTimeOffset Hour, long Requests, double BaselineMedian)
{
    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"{Dimension} {Name}: {Requests} requests in the hour from {Hour:yyyy-MM-dd HH:mm}Z, baseline median {BaselineMedian:0.#}");
}
