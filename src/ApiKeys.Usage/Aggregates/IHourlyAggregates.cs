namespace ApiKeys.Usage.Aggregates;

/// <summary>Where hourly aggregates are kept: the SQLite file of one gateway, or Redis for a fleet (where every gateway adds to the same counters).</summary>
public interface IHourlyAggregates
{
    /// <summary>A short description for messages (<c>SQLite usage.db</c>, <c>Redis pool 'default'</c>).</summary>
    string Description { get; }

    /// <summary>Adds <paramref name="batch"/> to the stored counters (atomically for the batch).</summary>
    void Add(IReadOnlyDictionary<HourlyKey, HourlyCounts> batch);

    /// <summary>Every aggregate of the hours <paramref name="fromHour"/> to <paramref name="toHour"/> (unix hours, both included).</summary>
    IReadOnlyList<KeyValuePair<HourlyKey, HourlyCounts>> Read(long fromHour, long toHour);
}
