using ApiKeys.Usage.Queries;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// The anomalies in the SQLite file: found in <c>hourly</c> for the hours the store checks (only the names busy enough in
/// them are tallied over their baseline), kept in <c>anomalies</c> as they are flagged, and read back by reports (a flag
/// is an event, like its log line: a report over 90 days reads the flags, it does not recompute 90 days of baselines).
/// </summary>
internal static class SqliteAnomalies
{
    private static readonly (Dimension Dimension, string Name, string Column)[] Dimensions = [(Dimension.Token, "token", "token"), (Dimension.Key, "key", "key")];

    /// <summary>The anomalies of the hours <paramref name="fromHour"/> to <paramref name="toHour"/>.</summary>
    public static List<UsageAnomaly> Detect(UsageDatabase database, long fromHour, long toHour, UsageStoreOptions options)
    {
        var found = new List<UsageAnomaly>();
        foreach (var (_, name, column) in Dimensions)
        {
            using var command = database.Connection.CreateCommand();
            command.CommandText = $"SELECT {column}, hour, sum(requests) FROM hourly WHERE hour BETWEEN $baseline AND $to AND {column} IN "
                + $"(SELECT {column} FROM hourly WHERE hour BETWEEN $from AND $to GROUP BY {column}, hour HAVING sum(requests) >= $min) GROUP BY {column}, hour";
            command.Parameters.AddWithValue("$baseline", fromHour - options.AnomalyBaselineHours);
            command.Parameters.AddWithValue("$from", fromHour);
            command.Parameters.AddWithValue("$to", toHour);
            command.Parameters.AddWithValue("$min", options.AnomalyMinRequests);
            var tally = new Dictionary<string, Dictionary<long, long>>(StringComparer.Ordinal);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    string value = database.Names.NameOf(reader.GetInt64(0));
                    if (!tally.TryGetValue(value, out var hours))
                    {
                        tally[value] = hours = [];
                    }

                    hours[reader.GetInt64(1)] = reader.GetInt64(2);
                }
            }

            AnomalyDetector.Detect(name, tally, fromHour, toHour, options, found);
        }

        return found;
    }

    /// <summary>Keeps <paramref name="anomalies"/> (the latest count of an hour replaces the earlier one).</summary>
    public static void Save(UsageDatabase database, IReadOnlyList<UsageAnomaly> anomalies)
    {
        if (anomalies.Count == 0)
        {
            return;
        }

        using var transaction = database.Connection.BeginTransaction();
        using var command = database.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT OR REPLACE INTO anomalies(hour, dimension, value, requests, median) VALUES ($hour, $dimension, $value, $requests, $median)";
        foreach (var a in anomalies)
        {
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$hour", a.Hour.ToUnixTimeSeconds() / 3600);
            command.Parameters.AddWithValue("$dimension", (long)Dimensions.Single(d => d.Name == a.Dimension).Dimension);
            command.Parameters.AddWithValue("$value", database.Names.IdOf(a.Name, transaction));
            command.Parameters.AddWithValue("$requests", a.Requests);
            command.Parameters.AddWithValue("$median", a.BaselineMedian);
            command.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    /// <summary>The anomalies flagged in the hours <paramref name="fromHour"/> to <paramref name="toHour"/>, by hour.</summary>
    public static List<UsageAnomaly> Read(UsageDatabase database, long fromHour, long toHour)
    {
        using var command = database.Connection.CreateCommand();
        command.CommandText = "SELECT hour, dimension, value, requests, median FROM anomalies WHERE hour BETWEEN $from AND $to ORDER BY hour, dimension DESC, requests DESC";
        command.Parameters.AddWithValue("$from", fromHour);
        command.Parameters.AddWithValue("$to", toHour);
        var result = new List<UsageAnomaly>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var dimension = (Dimension)reader.GetInt64(1);
            result.Add(new UsageAnomaly(Dimensions.Single(d => d.Dimension == dimension).Name, database.Names.NameOf(reader.GetInt64(2)),
                DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(0) * 3600), reader.GetInt64(3), reader.GetDouble(4)));
        }

        return result;
    }
}
