using ApiKeys.Http.Classification;
using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Http.Validation;

/// <summary>
/// Validates keys without spending quota: <c>GET /v1beta/models</c> (a list; nothing is generated) with each key, then
/// updates the pool: a valid key is usable again, an invalid or suspended one is disabled with the reason.
/// </summary>
public sealed class KeyValidator : IDisposable
{
    /// <summary>Gemini's API.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://generativelanguage.googleapis.com/");

    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly IResponseClassifier _classifier;
    private readonly TimeProvider _time;

    /// <summary>A validator with its own <see cref="HttpClient"/> (30 s timeout).</summary>
    public KeyValidator()
        : this(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, ownsClient: true)
    {
    }

    /// <summary>A validator sending with <paramref name="httpClient"/>; it must not rotate keys itself (no <see cref="ApiKeyHandler"/>).</summary>
    /// <param name="httpClient">The client.</param>
    /// <param name="classifier">Reads the answers; null for <see cref="GeminiResponseClassifier"/>.</param>
    /// <param name="timeProvider">The clock; null for the system clock.</param>
    public KeyValidator(HttpClient httpClient, IResponseClassifier? classifier = null, TimeProvider? timeProvider = null)
        : this(httpClient, ownsClient: false, classifier, timeProvider)
    {
    }

    private KeyValidator(HttpClient httpClient, bool ownsClient, IResponseClassifier? classifier = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        _client = httpClient;
        _ownsClient = ownsClient;
        _time = timeProvider ?? TimeProvider.System;
        _classifier = classifier ?? new GeminiResponseClassifier(_time);
    }

    /// <summary>Validates keys of <paramref name="pool"/> and records the results in it.</summary>
    /// <param name="pool">The pool.</param>
    /// <param name="keys">Ids (or secrets) of the keys to check; null: every key of the pool.</param>
    /// <param name="baseUrl">The API's base address; null for <see cref="DefaultBaseUrl"/> (tests point it at a fake server).</param>
    /// <param name="progress">Told each result as it comes.</param>
    /// <param name="cancellationToken">Cancels the validation.</param>
    /// <returns>One result per key, in the order asked (the pool's order when <paramref name="keys"/> is null).</returns>
    public async Task<IReadOnlyList<KeyValidationResult>> ValidateAsync(IKeyPool pool, IEnumerable<string>? keys = null, Uri? baseUrl = null,
        IProgress<KeyValidationResult>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var all = pool.Keys;
        var wanted = keys is null
            ? all.Select(k => (Asked: k.Id, Key: (ApiKey?)k)).ToList()
            : keys.Select(a => (Asked: a, Key: all.FirstOrDefault(k => k.Id == a || k.Secret == a))).ToList();
        var results = new List<KeyValidationResult>(wanted.Count);
        foreach (var (asked, key) in wanted)
        {
            var result = key is null
                ? new KeyValidationResult(asked.StartsWith("k_", StringComparison.Ordinal) ? asked : KeyMask.Mask(asked), "", KeyValidationOutcome.NotFound, null, "no such key in the pool", null, TimeSpan.Zero)
                : await ValidateInPoolAsync(pool, key, baseUrl, cancellationToken).ConfigureAwait(false);
            results.Add(result);
            progress?.Report(result);
        }

        return results;
    }

    /// <summary>Validates one key that need not be in a pool (nothing is recorded).</summary>
    /// <param name="secret">The key.</param>
    /// <param name="baseUrl">The API's base address; null for <see cref="DefaultBaseUrl"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<KeyValidationResult> ValidateKeyAsync(string secret, Uri? baseUrl = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secret);
        var (result, _) = await CallAsync(KeyIds.For(secret), KeyMask.Mask(secret), secret, baseUrl, cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    private async Task<KeyValidationResult> ValidateInPoolAsync(IKeyPool pool, ApiKey key, Uri? baseUrl, CancellationToken cancellationToken)
    {
        var (result, failure) = await CallAsync(key.Id, key.Mask, key.Secret, baseUrl, cancellationToken).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case KeyValidationOutcome.Valid:
                pool.Revalidated(key.Id, valid: true);
                break;
            case KeyValidationOutcome.Invalid or KeyValidationOutcome.Suspended or KeyValidationOutcome.Forbidden or KeyValidationOutcome.Billing:
                pool.Revalidated(key.Id, valid: false, failure);
                break;
        }

        return result;
    }

    private async Task<(KeyValidationResult Result, KeyFailure? Failure)> CallAsync(string id, string mask, string secret, Uri? baseUrl, CancellationToken cancellationToken)
    {
        var root = baseUrl ?? DefaultBaseUrl;
        if (!root.AbsoluteUri.EndsWith('/'))
        {
            root = new Uri(root.AbsoluteUri + "/");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, "v1beta/models?pageSize=1"));
        request.Headers.TryAddWithoutValidation(ApiKeyHandler.GoogApiKeyHeader, secret);
        long started = _time.GetTimestamp();
        KeyFailure? failure;
        int? status = null;
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return (new KeyValidationResult(id, mask, KeyValidationOutcome.Valid, status, null, null, _time.GetElapsedTime(started)), null);
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            failure = _classifier.Classify(response, body, model: null) ?? KeyFailure.Unknown($"HTTP {status}");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException or IOException)
        {
            failure = _classifier.ClassifyException(ex);
        }

        var outcome = failure.Kind switch
        {
            FailureKind.InvalidKey => KeyValidationOutcome.Invalid,
            FailureKind.Suspended => KeyValidationOutcome.Suspended,
            FailureKind.Forbidden => KeyValidationOutcome.Forbidden,
            FailureKind.Billing => KeyValidationOutcome.Billing,
            FailureKind.RateLimited or FailureKind.ModelUnavailable => KeyValidationOutcome.RateLimited,
            FailureKind.Upstream or FailureKind.Transport => KeyValidationOutcome.Unreachable,
            _ => KeyValidationOutcome.Error,
        };
        string? message = failure.Message?.Replace(secret, mask, StringComparison.Ordinal);
        return (new KeyValidationResult(id, mask, outcome, status, message, failure.Kind, _time.GetElapsedTime(started)), failure);
    }
}
