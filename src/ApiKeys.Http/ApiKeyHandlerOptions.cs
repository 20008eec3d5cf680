using System.ComponentModel.DataAnnotations;
using ApiKeys.Http.Classification;
using ApiKeys.Keys;

namespace ApiKeys.Http;

/// <summary>How <see cref="ApiKeyHandler"/> sends keys, classifies answers and retries.</summary>
public sealed class ApiKeyHandlerOptions
{
    /// <summary>The base address of Gemini's OpenAI-compatible endpoint (for <c>OpenAIClientOptions.Endpoint</c>); see <see cref="UseGeminiOpenAICompatibility"/>.</summary>
    public const string GeminiOpenAIEndpoint = "https://generativelanguage.googleapis.com/v1beta/openai/";

    /// <summary>Where the key goes.</summary>
    /// <value>The default is <see cref="KeyPlacement.GoogApiKeyHeader"/> (Gemini).</value>
    public KeyPlacement Placement { get; set; } = KeyPlacement.GoogApiKeyHeader;

    /// <summary>The header for <see cref="KeyPlacement.CustomHeader"/>.</summary>
    /// <value>The default is <c>x-api-key</c>.</value>
    [Required]
    public string HeaderName { get; set; } = "x-api-key";

    /// <summary>
    /// How the answers are read. Null: by <see cref="Upstream"/>; without it, <see cref="GeminiResponseClassifier"/> for the
    /// Gemini header, and otherwise the upstream decides: a Gemini host (<c>*.googleapis.com</c>) or a Gemini-shaped error
    /// body (<c>google.rpc.Status</c>, also wrapped in an array) is read as Gemini's, anything else by
    /// <see cref="GenericResponseClassifier"/>. The key's placement alone never makes Gemini's errors generic.
    /// </summary>
    /// <value>The default is null.</value>
    public IResponseClassifier? Classifier { get; set; }

    /// <summary>
    /// The API behind the client, when known, for reading its errors: <see cref="KeyProvider.Gemini"/> reads them with
    /// <see cref="GeminiResponseClassifier"/> (whatever the key's placement), any other provider with
    /// <see cref="GenericResponseClassifier"/>. Null: see <see cref="Classifier"/>. Ignored when <see cref="Classifier"/> is set.
    /// </summary>
    /// <value>The default is null.</value>
    public KeyProvider? Upstream { get; set; }

    /// <summary>The most attempts for one request, each with another key when the failure allows it.</summary>
    /// <value>The default is 3.</value>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The first wait before retrying after an <c>Upstream</c> or <c>Transport</c> failure; it doubles each time, with +/-20 % jitter.</summary>
    /// <value>The default is 500 milliseconds. Zero: no wait. At most 1 minute.</value>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest wait before a retry (also caps a server's <c>Retry-After</c> on 5xx answers).</summary>
    /// <value>The default is 10 seconds. At least <see cref="BaseBackoff"/>, at most 1 hour.</value>
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
    /// <value>The default is null. Otherwise between 1 millisecond and 1 day.</value>
    public TimeSpan? AttemptTimeout { get; set; }

    /// <summary>Reads the model from a request; null: from a Gemini path (<c>/v1beta/models/{model}:{method}</c>).</summary>
    /// <value>The default is null.</value>
    public Func<HttpRequestMessage, string?>? ModelSelector { get; set; }

    /// <summary>
    /// Whether a request whose path (or <see cref="ModelSelector"/>) names no model takes it from its JSON body's top-level
    /// <c>"model"</c> (<c>"gemini-2.5-flash"</c> or <c>"models/gemini-2.5-flash"</c>), as OpenAI-style endpoints send it. The
    /// body is scanned once, from the buffered content (no second copy), and only until the model is found; content that
    /// cannot be buffered (<see cref="BufferRequestContent"/> off) is not read.
    /// </summary>
    /// <value>The default is true.</value>
    public bool ReadModelFromBody { get; set; } = true;

    /// <summary>
    /// Where each request's <see cref="Usage.UsageRecord"/> goes (key id, model, status, failure kind, retries, latency, and
    /// the token counts read from the response as it passes); null: no accounting, at no cost. With <c>AddApiKeyRotation</c>,
    /// an <see cref="Usage.IUsageSink"/> registered in DI is used when this is null.
    /// </summary>
    /// <value>The default is null.</value>
    public Usage.IUsageSink? UsageSink { get; set; }

    /// <summary>
    /// Sets these options for Gemini's OpenAI-compatible endpoint (<see cref="GeminiOpenAIEndpoint"/>), as the OpenAI SDKs call
    /// it: the key as <c>Authorization: Bearer</c>, answers read as Gemini's (<see cref="Upstream"/> =
    /// <see cref="KeyProvider.Gemini"/>, so <c>API_KEY_INVALID</c> disables the key and quota errors cool it for the model
    /// they name), and the model taken from the JSON body (<see cref="ReadModelFromBody"/>). Other options are left as they are.
    /// </summary>
    /// <returns>These options.</returns>
    /// <example><code>
    /// services.AddHttpClient("gemini-openai").AddApiKeyRotation(o => o.UseGeminiOpenAICompatibility());
    /// </code></example>
    public ApiKeyHandlerOptions UseGeminiOpenAICompatibility()
    {
        Placement = KeyPlacement.BearerToken;
        Upstream = KeyProvider.Gemini;
        ReadModelFromBody = true;
        return this;
    }

    /// <summary>Validates the options (the same validator runs with and without DI).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public void Validate()
    {
        var result = new ApiKeyHandlerOptionsValidator().Validate(null, this);
        if (result.Failed)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(ApiKeyHandlerOptions), typeof(ApiKeyHandlerOptions), result.Failures);
        }
    }

    internal IResponseClassifier ResolveClassifier(TimeProvider time) => Classifier ?? Upstream switch
    {
        KeyProvider.Gemini => new GeminiResponseClassifier(time),
        not null => new GenericResponseClassifier(time),
        null when Placement == KeyPlacement.GoogApiKeyHeader => new GeminiResponseClassifier(time),
        null => new UpstreamResponseClassifier(time),
    };
}
