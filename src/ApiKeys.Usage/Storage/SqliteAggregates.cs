using ApiKeys.Usage.Aggregates;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>The hourly aggregates in the SQLite file (table <c>hourly</c>). Not thread-safe: the database's user holds it.</summary>
internal sealed class SqliteAggregates(UsageDatabase database) : IHourlyAggregates
{
    private static readonly string Upsert =
        "INSERT INTO hourly(hour, key, model, token, outcome, " + string.Join(", ", HourlyCounts.Names) + ") VALUES ($hour, $key, $model, $token, $outcome, "
        + string.Join(", ", HourlyCounts.Names.Select(n => "$" + n)) + ") ON CONFLICT(hour, key, model, token, outcome) DO UPDATE SET "
        + string.Join(", ", HourlyCounts.Names.Select(n => $"{n} = {n} + excluded.{n}"));

    private static readonly string[] Dimensions = ["$hour", "$key", "$model", "$token", "$outcome"];

    public string Description => "SQLite " + database.Path;

    public void Add(IReadOnlyDictionary<HourlyKey, HourlyCounts> batch)
    {
        using var transaction = database.Connection.BeginTransaction();
        Add(batch, transaction);
        transaction.Commit();
    }

    public void Add(IReadOnlyDictionary<HourlyKey, HourlyCounts> batch, SqliteTransaction transaction)
    {
        using var command = database.Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Upsert;
        var dims = Dimensions.Select(n => command.Parameters.Add(n, SqliteType.Integer)).ToArray();
        var values = HourlyCounts.Names.Select(n => command.Parameters.Add("$" + n, SqliteType.Integer)).ToArray();
        var names = database.Names;
        foreach (var (key, counts) in batch)
        {
            dims[0].Value = key.Hour;
            dims[1].Value = names.IdOf(key.KeyId, transaction);
            dims[2].Value = names.IdOf(key.Model, transaction);
            dims[3].Value = names.IdOf(key.Token, transaction);
            dims[4].Value = names.IdOf(key.Outcome, transaction);
            var counters = counts.Values;
            for (int i = 0; i < values.Length; i++)
            {
                values[i].Value = counters[i];
            }

            command.ExecuteNonQuery();
        }
    }

    public IReadOnlyList<KeyValuePair<HourlyKey, HourlyCounts>> Read(long fromHour, long toHour)
    {
        using var command = database.Connection.CreateCommand();
        command.CommandText = "SELECT hour, key, model, token, outcome, " + string.Join(", ", HourlyCounts.Names) + " FROM hourly WHERE hour BETWEEN $from AND $to";
        command.Parameters.AddWithValue("$from", fromHour);
        command.Parameters.AddWithValue("$to", toHour);
        var result = new List<KeyValuePair<HourlyKey, HourlyCounts>>();
        var names = database.Names;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var key = new HourlyKey(reader.GetInt64(0), names.NameOf(reader.GetInt64(1)), names.NameOf(reader.GetInt64(2)), names.NameOf(reader.GetInt64(3)),
                names.NameOf(reader.GetInt64(4)));
            var counts = new HourlyCounts();
            for (int i = 0; i < HourlyCounts.Names.Count; i++)
            {
                counts.Set(i, reader.GetInt64(5 + i));
            }

            result.Add(new(key, counts));
        }

        return result;
    }
}
