using ApiKeys.Pool;

namespace ApiKeys.Gateway.Forwarding;

/// <summary>
/// What the gateway learned about one request, filled in as it goes through the pipeline and handed to every
/// <see cref="IForwardObserver"/> when it ends (the access log; usage accounting). Holds no secret: the key's id, the token's name.
/// </summary>
public sealed class ForwardContext
{
    /// <summary>The key under which the upstream request carries this context (for the handlers between gateway and upstream).</summary>
    public static readonly HttpRequestOptionsKey<ForwardContext> OptionKey = new("ApiKeys.Gateway.ForwardContext");

    /// <summary>Creates the context of a request that started at <paramref name="startTimestamp"/> (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public ForwardContext(ForwardRoute route, string method, long startTimestamp)
    {
        ArgumentNullException.ThrowIfNull(route);
        Route = route;
        Method = method;
        StartTimestamp = startTimestamp;
        Model = route.Model;
    }

    /// <summary>The route.</summary>
    public ForwardRoute Route { get; }

    /// <summary>The HTTP method.</summary>
    public string Method { get; }

    /// <summary>When the request started (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long StartTimestamp { get; }

    /// <summary>The client token's name, once it is known.</summary>
    public string? TokenName { get; set; }

    /// <summary>The model, from the path or the body.</summary>
    public string? Model { get; set; }

    /// <summary>The id of the key of the last attempt.</summary>
    public string? KeyId { get; set; }

    /// <summary>Attempts sent upstream (each with a key).</summary>
    public int Attempts { get; set; }

    /// <summary>Attempts after the first (another key each).</summary>
    public int Retries => Math.Max(0, Attempts - 1);

    /// <summary>The status the client got (499 when it went away first).</summary>
    public int Status { get; set; }

    /// <summary>The upstream failure's kind, when there was one (an error passed through, a timeout, a cut stream).</summary>
    public FailureKind? Failure { get; set; }

    /// <summary>How the request ended.</summary>
    public GatewayOutcome Outcome { get; set; }

    /// <summary>The request body's size.</summary>
    public long RequestBytes { get; set; }

    /// <summary>The response body bytes sent to the client.</summary>
    public long ResponseBytes { get; set; }

    /// <summary>From the start until the first response byte went to the client (headers of an empty body).</summary>
    public TimeSpan? TimeToFirstByte { get; set; }

    /// <summary>From the start until the response ended.</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Input tokens the API counted (read from the response body as it went by; null: none found).</summary>
    public long? InputTokens { get; set; }

    /// <summary>Output tokens the API counted.</summary>
    public long? OutputTokens { get; set; }

    /// <summary>Cached input tokens the API counted.</summary>
    public long? CachedTokens { get; set; }

    /// <summary>Thinking tokens the API counted.</summary>
    public long? ThinkingTokens { get; set; }
}
