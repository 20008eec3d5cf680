using System.Globalization;
using ApiKeys.Usage.Queries;

namespace ApiKeys.Gateway.Admin.Pages;

/// <summary>The request log's filters as the page's query string carries them (times in UTC).</summary>
internal sealed record LogFilter(string? From, string? To, string? Token, string? Key, string? Model, string? Status)
{
    public static readonly (string Value, string Name)[] Statuses = [("", "any status"), ("errors", "errors (400+ and none)"), ("4xx", "4xx"), ("5xx", "5xx"), ("429", "429"), ("2xx", "2xx")];

    public RequestLogQuery Query(long? before = null, long? after = null, int limit = 50) => new()
    {
        From = Time(From),
        To = Time(To),
        Token = Clean(Token),
        KeyId = Clean(Key),
        Model = Clean(Model),
        Status = StatusFilter.TryParse(Status, out var status) && !string.IsNullOrWhiteSpace(Status) ? status : null,
        Before = before,
        After = after,
        Limit = limit,
    };

    /// <summary>The filters as a query string (each value escaped), starting with '&amp;' when not empty.</summary>
    public string QueryString() => string.Concat(new[] { ("from", From), ("to", To), ("token", Token), ("key", Key), ("model", Model), ("status", Status) }
        .Where(p => !string.IsNullOrWhiteSpace(p.Item2))
        .Select(p => "&" + p.Item1 + "=" + Uri.EscapeDataString(p.Item2!.Trim())));

    /// <summary>Whether new requests can be followed (not for a range that ends in the past).</summary>
    public bool CanFollow => Time(To) is null;

    private static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static DateTimeOffset? Time(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t) ? t : null;
}
