using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

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

    public List<string> QuotaValues { get; } = [];

    /// <summary>QuotaFailure <c>quotaDimensions.model</c>.</summary>
    public string? QuotaModel { get; private set; }

    /// <summary>RetryInfo <c>retryDelay</c>, else "Please retry in Xs" in the message.</summary>
    public TimeSpan? RetryDelay { get; private set; }

    /// <summary>Parses a body; null when it is not a JSON object with an <c>error</c> object.</summary>
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
            // Some proxies wrap the error in a one-element array.
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

    public bool QuotaIdContains(string part) => QuotaIds.Exists(q => q.Contains(part, StringComparison.OrdinalIgnoreCase));

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
