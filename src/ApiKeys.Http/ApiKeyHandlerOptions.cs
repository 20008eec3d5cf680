using System.ComponentModel.DataAnnotations;
using ApiKeys.Http.Classification;

namespace ApiKeys.Http;

/// <summary>How <see cref="ApiKeyHandler"/> sends keys, classifies answers and retries.</summary>
public sealed class ApiKeyHandlerOptions
{
    /// <summary>Where the key goes.</summary>
    /// <value>The default is <see cref="KeyPlacement.GoogApiKeyHeader"/> (Gemini).</value>
    public KeyPlacement Placement { get; set; } = KeyPlacement.GoogApiKeyHeader;

    /// <summary>The header for <see cref="KeyPlacement.CustomHeader"/>.</summary>
    /// <value>The default is <c>x-api-key</c>.</value>
    [Required]
    public string HeaderName { get; set; } = "x-api-key";

    /// <summary>How the answers are read; null: <see cref="GeminiResponseClassifier"/> for the Gemini header, else <see cref="GenericResponseClassifier"/>.</summary>
    /// <value>The default is null.</value>
    public IResponseClassifier? Classifier { get; set; }

    /// <summary>The most attempts for one request, each with another key when the failure allows it.</summary>
    /// <value>The default is 3.</value>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The first wait before retrying after an <c>Upstream</c> or <c>Transport</c> failure; it doubles each time, with +/-20 % jitter.</summary>
    /// <value>The default is 500 milliseconds. Zero: no wait.</value>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait before a retry (also caps a server's <c>Retry-After</c> on 5xx answers).</summary>
    /// <value>The default is 10 seconds.</value>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How much of an error body is read for classification and redaction; a longer body is cut there.</summary>
    /// <value>The default is 1 MiB.</value>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxErrorBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>What happens when no key is available.</summary>
    /// <value>The default is <see cref="NoKeyBehavior.Throw"/>.</value>
    public NoKeyBehavior WhenNoKey { get; set; } = NoKeyBehavior.Throw;

    /// <summary>Whether request content is buffered so it can be sent again with another key. Without it, requests with content are tried once.</summary>
    /// <value>The default is true.</value>
    public bool BufferRequestContent { get; set; } = true;

    /// <summary>How long one attempt may take until the response headers arrive; past it the attempt is a <c>Transport</c> failure and another key is tried. Null: no limit but the caller's.</summary>
    /// <value>The default is null.</value>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>Reads the model from a request; null: from a Gemini path (<c>/v1beta/models/{model}:{method}</c>).</summary>
    /// <value>The default is null.</value>
    public Func<HttpRequestMessage, string?>? ModelSelector { get; set; }

    internal IResponseClassifier ResolveClassifier(TimeProvider time) =>
        Classifier ?? (Placement == KeyPlacement.GoogApiKeyHeader ? new GeminiResponseClassifier(time) : new GenericResponseClassifier(time));
}
