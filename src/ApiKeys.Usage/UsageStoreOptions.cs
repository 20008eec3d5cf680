using System.ComponentModel.DataAnnotations;

namespace ApiKeys.Usage;

/// <summary>How the usage statistics are kept: the <c>Usage</c> section of the gateway's settings.</summary>
public sealed class UsageStoreOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Usage";

    /// <summary>Whether requests are accounted at all.</summary>
    /// <value>The default is true.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Whether each request gets a row in the request log (the aggregates are kept either way).</summary>
    /// <value>The default is true.</value>
    public bool RequestLog { get; set; } = true;

    /// <summary>How long request log rows are kept.</summary>
    /// <value>The default is 7 days.</value>
    public TimeSpan LogRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The most request log rows kept (the oldest go first).</summary>
    /// <value>The default is 1,000,000 (about 40 MB).</value>
    [Range(1000, 1_000_000_000)]
    public long MaxLogRows { get; set; } = 1_000_000;

    /// <summary>How long hourly aggregates and key transitions are kept (in SQLite, and as the TTL of Redis's hour buckets).</summary>
    /// <value>The default is 90 days.</value>
    public TimeSpan AggregateRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How often what was recorded is written (in one transaction).</summary>
    /// <value>The default is 2 seconds.</value>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The most records waiting to be written; beyond, new ones are dropped and counted (a request is never held up).</summary>
    /// <value>The default is 200,000.</value>
    [Range(100, 10_000_000)]
    public int QueueCapacity { get; set; } = 200_000;

    /// <summary>A token or key is flagged when its requests this hour exceed this many times the median of its previous hours.</summary>
    /// <value>The default is 3.</value>
    [Range(1.0, 1000.0)]
    public double AnomalyFactor { get; set; } = 3;

    /// <summary>The fewest requests in an hour for a flag (a quiet token going from 1 to 4 is no anomaly).</summary>
    /// <value>The default is 100.</value>
    [Range(1, 100_000_000)]
    public int AnomalyMinRequests { get; set; } = 100;

    /// <summary>The hours before the current one whose median is the baseline.</summary>
    /// <value>The default is 24.</value>
    [Range(1, 24 * 90)]
    public int AnomalyBaselineHours { get; set; } = 24;

    /// <summary>Validates the options (the same validator runs with and without DI).</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">An option is out of range.</exception>
    public void Validate()
    {
        var result = new UsageStoreOptionsValidator().Validate(null, this);
        if (result.Failed)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException(nameof(UsageStoreOptions), typeof(UsageStoreOptions), result.Failures);
        }
    }
}
