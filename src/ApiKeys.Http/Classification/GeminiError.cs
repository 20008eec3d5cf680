using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ApiKeys.Pool;

namespace ApiKeys.Http.Classification;

/// <summary>
/// The parts of a Gemini (<c>google.rpc.Status</c>) error body that matter for a key: ErrorInfo reasons and metadata,
/// QuotaFailure violations, RetryInfo delay. Read with <see cref="JsonDocument"/> (no reflection).
/// </summary>
internal sealed partial class GeminiError
{
    private const string TypePrefix = "type.googleapis.com/google.rpc.";

    public int? Code { get; private set; }

    public string? Message { get; private set; }

    public string? Status { get; private set; }

    public List<string> Reasons { get; } = [];

    /// <summary>ErrorInfo <c>metadata.consumer</c>: <c>projects/123456789012</c>.</summary>
    public string? Consumer { get; private set; }

    public string? MethodName { get; private set; }

    public List<string> QuotaIds { get; } = [];

    /// <summary>Where Google states a quota's time unit beside its id: ErrorInfo <c>quota_unit</c> (<c>1/min/{project}/{region}</c>,
    /// <c>1/d/{project}</c>), <c>quota_limit</c> names and QuotaFailure descriptions.</summary>
    public List<string> QuotaUnits { get; } = [];

    /// <summary>ErrorInfo <c>metadata.serviceTitle</c> (else <c>service</c>): the API a <c>SERVICE_DISABLED</c> error asks to enable.</summary>
    public string? Service { get; private set; }

    public List<string> QuotaValues { get; } = [];

    /// <summary>QuotaFailure <c>quotaDimensions.model</c>.</summary>
    public string? QuotaModel { get; private set; }

    /// <summary>RetryInfo <c>retryDelay</c>, else "Please retry in Xs" in the message.</summary>
    public TimeSpan? RetryDelay { get; private set; }

    /// <summary>Whether the body is a <c>google.rpc.Status</c> (a numeric <c>code</c> and a <c>status</c> name such as <c>INVALID_ARGUMENT</c>),
    /// not another API's <c>error</c> object (OpenAI's has a string <c>code</c> and no <c>status</c>).</summary>
    public bool IsGoogleStatus => Code is not null && Status is not null;

    /// <summary>Parses a body (also wrapped in a one-element array, as the OpenAI-compatible endpoint sends it); null when it is not a JSON object with an <c>error</c> object.</summary>
    public static GeminiError? TryParse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            // Gemini's OpenAI-compatible endpoint (and some proxies) wrap the error in a one-element array.
            if (root.ValueKind == JsonValueKind.Array && root.GetArrayLength() > 0)
            {
                root = root[0];
            }

            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var result = new GeminiError
            {
                Code = error.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out int code) ? code : null,
                Message = String(error, "message"),
                Status = String(error, "status"),
            };
            if (error.TryGetProperty("details", out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in details.EnumerateArray())
                {
                    result.ReadDetail(detail);
                }
            }

            if (result.RetryDelay is null && result.Message is not null)
            {
                result.RetryDelay = RetryInMessage(result.Message);
            }

            return result;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Whether a quota's value is 0 ("limit: 0"): the model is not offered to this key.</summary>
    public bool HasZeroLimit => QuotaValues.Contains("0") || (Message is not null && LimitZero().IsMatch(Message));

    public bool HasReason(string reason) => Reasons.Contains(reason);

    /// <summary>The quota's time unit wherever Google states it (a quota id, <c>quota_limit</c>, <c>quota_unit</c>, a description); a daily one wins.</summary>
    public RateLimitScope QuotaScope()
    {
        bool minute = false;
        foreach (var text in QuotaIds.Concat(QuotaUnits))
        {
            switch (UnitOf(text))
            {
                case RateLimitScope.Day:
                    // Nothing comes back before a daily quota resets, whatever a shorter quota says.
                    return RateLimitScope.Day;
                case RateLimitScope.Minute:
                    minute = true;
                    break;
            }
        }

        return minute ? RateLimitScope.Minute : RateLimitScope.Unknown;
    }

    /// <summary><c>1/min/{project}/{region}</c>, <c>1/d/{project}</c>, <c>GenerateRequestsPerDayPerProjectPerModel</c>, "requests per minute".</summary>
    private static RateLimitScope UnitOf(string text)
    {
        if (text.StartsWith("1/", StringComparison.Ordinal))
        {
            var unit = text.AsSpan(2);
            int end = unit.IndexOf('/');
            unit = end < 0 ? unit : unit[..end];
            return unit switch
            {
                "d" or "day" => RateLimitScope.Day,
                "min" or "m" or "s" => RateLimitScope.Minute,
                _ => RateLimitScope.Unknown,
            };
        }

        if (text.Contains("PerDay", StringComparison.OrdinalIgnoreCase) || text.Contains("per day", StringComparison.OrdinalIgnoreCase))
        {
            return RateLimitScope.Day;
        }

        return text.Contains("PerMinute", StringComparison.OrdinalIgnoreCase) || text.Contains("per minute", StringComparison.OrdinalIgnoreCase)
            || text.Contains("PerSecond", StringComparison.OrdinalIgnoreCase)
            ? RateLimitScope.Minute
            : RateLimitScope.Unknown;
    }

    /// <summary>"Please retry in 20.04466179s." / "retry in 350ms".</summary>
    internal static TimeSpan? RetryInMessage(string message)
    {
        var m = RetryIn().Match(message);
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            return null;
        }

        return m.Groups[2].Value == "ms" ? TimeSpan.FromMilliseconds(value) : TimeSpan.FromSeconds(value);
    }

    /// <summary>A protobuf Duration in JSON: "46s", "20.04466179s".</summary>
    internal static TimeSpan? ParseDuration(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.EndsWith('s'))
        {
            return null;
        }

        return double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) && seconds >= 0 && seconds < 1e9
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private void ReadDetail(JsonElement detail)
    {
        if (detail.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        string? type = String(detail, "@type");
        string kind = type is not null && type.StartsWith(TypePrefix, StringComparison.Ordinal) ? type[TypePrefix.Length..] : type ?? "";
        switch (kind)
        {
            case "ErrorInfo":
                if (String(detail, "reason") is { } reason)
                {
                    Reasons.Add(reason);
                }

                if (detail.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object)
                {
                    Consumer ??= ProjectOf(String(metadata, "consumer"));
                    MethodName ??= String(metadata, "methodName");
                    Service ??= String(metadata, "serviceTitle") ?? String(metadata, "service");
                    ReadQuotaMetadata(metadata);
                }

                break;
            case "QuotaFailure":
                if (detail.TryGetProperty("violations", out var violations) && violations.ValueKind == JsonValueKind.Array)
                {
                    foreach (var v in violations.EnumerateArray())
                    {
                        ReadViolation(v);
                    }
                }

                break;
            case "RetryInfo":
                RetryDelay ??= ParseDuration(String(detail, "retryDelay"));
                break;
        }
    }

    /// <summary>RATE_LIMIT_EXCEEDED's ErrorInfo: <c>quota_limit</c>, <c>quota_unit</c>, <c>quota_limit_value</c>.</summary>
    private void ReadQuotaMetadata(JsonElement metadata)
    {
        foreach (var name in (ReadOnlySpan<string>)["quota_unit", "quota_limit"])
        {
            if (String(metadata, name) is { } unit)
            {
                QuotaUnits.Add(unit);
            }
        }

        if (String(metadata, "quota_limit_value") is { } value)
        {
            QuotaValues.Add(value);
        }
    }

    private void ReadViolation(JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (String(v, "quotaId") is { } id)
        {
            QuotaIds.Add(id);
        }

        if (v.TryGetProperty("quotaValue", out var value))
        {
            QuotaValues.Add(value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.GetRawText());
        }

        if (String(v, "description") is { } description)
        {
            QuotaUnits.Add(description);
        }

        if (v.TryGetProperty("quotaDimensions", out var dims) && dims.ValueKind == JsonValueKind.Object)
        {
            QuotaModel ??= String(dims, "model");
        }
    }

    /// <summary>Only <c>projects/...</c> names a project; <c>api_key:...</c> consumers hold the key itself and are never kept.</summary>
    private static string? ProjectOf(string? consumer) =>
        consumer is not null && consumer.StartsWith("projects/", StringComparison.Ordinal) && consumer.Length > "projects/".Length ? consumer : null;

    [GeneratedRegex(@"retry in (\d+(?:\.\d+)?)(ms|s)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex RetryIn();

    [GeneratedRegex(@"\blimit: 0\b", RegexOptions.CultureInvariant)]
    private static partial Regex LimitZero();
}
