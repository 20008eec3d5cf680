using System.ComponentModel.DataAnnotations;

namespace ApiKeys.Gateway;

/// <summary>The gateway's settings: the <c>Gateway</c> section of appsettings.json, <c>APIKEYS__GATEWAY__...</c>, or the command line.</summary>
public sealed class GatewayOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Gateway";

    /// <summary>Google's API, where requests go.</summary>
    public const string GoogleUpstream = "https://generativelanguage.googleapis.com/";

    /// <summary>The address requests are forwarded to (a mirror, a regional endpoint, a test server).</summary>
    /// <value>The default is <see cref="GoogleUpstream"/>.</value>
    [Required]
    public string Upstream { get; set; } = GoogleUpstream;

    /// <summary>The store directory; null: <c>APIKEYS_DIR</c>, else the current directory.</summary>
    /// <value>The default is null.</value>
    public string? Directory { get; set; }

    /// <summary>A StackExchange.Redis connection string: the pool's state, the client tokens and their limits live there.</summary>
    /// <value>The default is null (the JSON store alone).</value>
    public string? Redis { get; set; }

    /// <summary>The Redis pool's name (gateways with the same name and Redis share keys' state, tokens and limits).</summary>
    /// <value>The default is <c>default</c>.</value>
    [Required]
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "RedisPool: 1 to 64 letters, digits, '.', '_' or '-'.")]
    public string RedisPool { get; set; } = "default";

    /// <summary>The port on 127.0.0.1 when no <c>--urls</c> or Kestrel endpoint is configured.</summary>
    /// <value>The default is 8080.</value>
    [Range(0, 65535)]
    public int Port { get; set; } = 8080;

    /// <summary>The largest request body buffered for forwarding; a larger one is answered 413.</summary>
    /// <value>The default is 32 MiB.</value>
    [Range(1024, 2L * 1024 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>How long a connection to the upstream may take to open.</summary>
    /// <value>The default is 15 seconds.</value>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the upstream may take to answer with headers (thinking models are slow), retries included.</summary>
    /// <value>The default is 600 seconds.</value>
    public TimeSpan ResponseHeadersTimeout { get; set; } = TimeSpan.FromSeconds(600);

    /// <summary>The longest silence between two chunks of a response body before the stream is ended.</summary>
    /// <value>The default is 300 seconds.</value>
    public TimeSpan StreamIdleTimeout { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>How long a shutdown waits for requests in flight (streams) to finish before it ends them.</summary>
    /// <value>The default is 30 seconds.</value>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The most attempts for one request, each with another key, before the response headers reach the client.</summary>
    /// <value>The default is 3.</value>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The first wait before retrying after an upstream or network failure (doubling, with jitter).</summary>
    /// <value>The default is 500 milliseconds.</value>
    public TimeSpan RetryBackoff { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Whether one line per request is logged (token name, model, key id, status, failure kind, retries, latency).</summary>
    /// <value>The default is true.</value>
    public bool AccessLog { get; set; } = true;

    /// <summary>A file whose first line is the passphrase of an encrypted store; null: <c>APIKEYS_PASSPHRASE</c>.</summary>
    /// <value>The default is null.</value>
    public string? PassphraseFile { get; set; }

    /// <summary>The upstream as a URI ending in '/'.</summary>
    internal Uri UpstreamUri => new(Upstream.EndsWith('/') ? Upstream : Upstream + "/", UriKind.Absolute);
}
