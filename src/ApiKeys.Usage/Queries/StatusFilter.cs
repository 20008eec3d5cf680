using System.Globalization;

namespace ApiKeys.Usage.Queries;

/// <summary>A filter on the HTTP status: one status (<c>429</c>), a class (<c>4xx</c>, <c>5xx</c>), or <c>errors</c> (400 and above, and no response).</summary>
/// <param name="Min">The lowest status.</param>
/// <param name="Max">The highest status.</param>
/// <param name="WithNoResponse">Whether requests without a response (status 0) match too.</param>
public readonly record struct StatusFilter(int Min, int Max, bool WithNoResponse = false)
{
    /// <summary>Reads <c>429</c>, <c>4xx</c>, <c>5xx</c> or <c>errors</c>.</summary>
    public static bool TryParse(string? text, out StatusFilter filter)
    {
        text = text?.Trim().ToLowerInvariant();
        filter = default;
        if (text is "error" or "errors")
        {
            filter = new StatusFilter(400, 999, WithNoResponse: true);
            return true;
        }

        if (text is { Length: 3 } && text.EndsWith("xx", StringComparison.Ordinal) && text[0] is >= '1' and <= '5')
        {
            int first = (text[0] - '0') * 100;
            filter = new StatusFilter(first, first + 99);
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int status) && status is >= 0 and <= 999)
        {
            filter = new StatusFilter(status, status);
            return true;
        }

        return false;
    }
}
