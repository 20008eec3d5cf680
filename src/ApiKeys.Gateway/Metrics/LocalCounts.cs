using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ApiKeys.Gateway.Metrics;

/// <summary>
/// Counts by a set of labels, added to here (a dictionary lookup and an interlocked add) and read by an observable counter
/// when the meter is collected (a scrape): for the counters every request adds to, where a <see cref="Counter{T}"/>'s
/// measurement, handed to every listener and looked up by its tags in each, costs several times more.
/// </summary>
/// <typeparam name="TKey">The labels' values.</typeparam>
/// <typeparam name="TCounts">What is counted for one set of labels (a class of <c>long</c> fields).</typeparam>
internal sealed class LocalCounts<TKey, TCounts>
    where TKey : notnull
    where TCounts : class, new()
{
    private readonly ConcurrentDictionary<TKey, TCounts> _counts = new();

    /// <summary>The counts of <paramref name="key"/>, created at zero.</summary>
    public TCounts For(TKey key) => _counts.TryGetValue(key, out var counts) ? counts : _counts.GetOrAdd(key, static _ => new TCounts());

    /// <summary>Every set of labels with its counts (read as they are now).</summary>
    public IEnumerable<KeyValuePair<TKey, TCounts>> All => _counts;
}

/// <summary>One count.</summary>
internal sealed class Count
{
    public long Value;
}

/// <summary>The four token counts.</summary>
internal sealed class TokenCounts
{
    public long Input;
    public long Output;
    public long Cached;
    public long Thinking;
}

/// <summary>
/// The labels of a request count. A struct of strings, not a tuple: the dictionary's code is its own, not the shared generic
/// code that looks each comparer up at run time (a third of a lookup's cost, every request).
/// </summary>
internal readonly record struct RequestLabels(string Route, string Model, int Status, string Kind);

/// <summary>The labels of a token count.</summary>
internal readonly record struct TokenLabels(string Model, string Token);
