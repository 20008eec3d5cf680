namespace ApiKeys.Gateway.Metrics;

/// <summary>The <c>Metrics</c> section: the Prometheus scrape endpoint and OTLP export.</summary>
public sealed class MetricsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Metrics";

    /// <summary>The scrape endpoint's path.</summary>
    public const string Path = "/metrics";

    /// <summary>Whether <c>/metrics</c> is served.</summary>
    /// <value>The default is true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Addresses of a listener of its own for <c>/metrics</c> (e.g. <c>http://0.0.0.0:9464</c>): the endpoint is served there
    /// only, to whoever reaches it. Null: <c>/metrics</c> is served on the gateway's own addresses to loopback clients only.
    /// </summary>
    /// <value>The default is null.</value>
    public string? Urls { get; set; }

    /// <summary>Whether clients other than loopback may read <c>/metrics</c> on the gateway's own addresses (when <see cref="Urls"/> is null).</summary>
    /// <value>The default is false.</value>
    public bool AllowRemote { get; set; }

    /// <summary>An OTLP endpoint the metrics are also pushed to (e.g. <c>http://collector:4317</c>); null: none.</summary>
    /// <value>The default is null.</value>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The ports of <see cref="Urls"/>.</summary>
    internal IReadOnlyList<int> Ports => Hosting.ListenerAccess.PortsOf(Urls);
}
