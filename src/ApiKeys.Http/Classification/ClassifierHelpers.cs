using System.Net;
using System.Text;
using ApiKeys.Pool;

namespace ApiKeys.Http.Classification;

/// <summary>What every classifier needs: <c>Retry-After</c>, body text, transport exceptions.</summary>
internal static class ClassifierHelpers
{
    private const int MaxMessageLength = 500;

    /// <summary>The <c>Retry-After</c> header as a delay (seconds or an HTTP date), or null.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header is null)
        {
            return null;
        }

        if (header.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>A short text for a body that is not JSON (an HTML page from a proxy, plain text), or null.</summary>
    public static string? ShortText(HttpResponseMessage response, ReadOnlyMemory<byte> body)
    {
        string reason = response.ReasonPhrase ?? ((HttpStatusCode)(int)response.StatusCode).ToString();
        string status = $"HTTP {(int)response.StatusCode} {reason}";
        if (body.IsEmpty)
        {
            return status;
        }

        var text = Encoding.UTF8.GetString(body.Span.Length > MaxMessageLength ? body.Span[..MaxMessageLength] : body.Span).Trim();
        if (text.StartsWith('<'))
        {
            // An HTML error page: its markup says nothing useful.
            return $"{status} (HTML page)";
        }

        return text.Length == 0 ? status : $"{status}: {text.ReplaceLineEndings(" ")}";
    }

    /// <summary>Transport failures: timeouts, refused or reset connections, bodies cut off.</summary>
    public static KeyFailure Transport(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        string what = exception switch
        {
            TaskCanceledException or OperationCanceledException or TimeoutException => "timed out",
            HttpRequestException { HttpRequestError: var e } when e != HttpRequestError.Unknown => e.ToString(),
            _ => exception.GetType().Name,
        };

        return KeyFailure.Transport($"transport error ({what}): {exception.Message}");
    }
}
