using ApiKeys.Usage.Aggregates;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// The hourly aggregates in the SQLite file: <c>hourly</c> (every dimension) and <c>running</c> (per dimension value, the
/// running totals at each hour it was active in). Its statements are prepared once and reused for every batch. Not
/// thread-safe: the database's user holds it.
/// </summary>
internal sealed class SqliteAggregates : IHourlyAggregates, IDisposable
{
    private static readonly string Upsert =
        $"INSERT INTO hourly(hour, key, model, token, outcome, {UsageSchema.Counters}) VALUES ($hour, $key, $model, $token, $outcome, "
        + string.Join(", ", HourlyCounts.Names.Select(n => "$" + n)) + ") ON CONFLICT(hour, key, model, token, outcome) DO UPDATE SET "
        + string.Join(", ", HourlyCounts.Names.Select(n => $"{n} = {n} + excluded.{n}"));

    // A value's first row at an hour starts from its previous running totals (zero when it has none).
    private static readonly string StartHour =
        $"INSERT OR IGNORE INTO running(dimension, value, hour, {UsageSchema.Counters}) SELECT $dimension, $value, $hour, "
        + string.Join(", ", HourlyCounts.Names.Select(n => $"coalesce(p.{n}, 0)"))
        + $" FROM (SELECT 1) LEFT JOIN (SELECT {UsageSchema.Counters} FROM running WHERE dimension = $dimension AND value = $value AND hour < $hour "
        + "ORDER BY hour DESC LIMIT 1) p ON 1";

    // The hour's counts go into its row and every later one (later rows exist only when records arrive late).
    private static readonly string AddFromHour =
        "UPDATE running SET " + string.Join(", ", HourlyCounts.Names.Select(n => $"{n} = {n} + ${n}"))
        + " WHERE dimension = $dimension AND value = $value AND hour >= $hour";

    private readonly UsageDatabase _database;
    private readonly SqliteCommand _upsert;
    private readonly SqliteParameter[] _upsertDimensions;
    private readonly SqliteParameter[] _upsertCounters;
    private readonly SqliteCommand _startHour;
    private readonly SqliteParameter[] _startHourKey;
    private readonly SqliteCommand _addFromHour;
    private readonly SqliteParameter[] _addFromHourKey;
    private readonly SqliteParameter[] _addFromHourCounters;

    public SqliteAggregates(UsageDatabase database)
    {
        _database = database;
        var connection = database.Connection;
        _upsert = connection.CreateCommand();
        _upsert.CommandText = Upsert;
        _upsertDimensions = UsageDatabase.Parameters(_upsert, "$hour", "$key", "$model", "$token", "$outcome");
        _upsertCounters = UsageDatabase.Parameters(_upsert, [.. HourlyCounts.Names.Select(n => "$" + n)]);
        _startHour = connection.CreateCommand();
        _startHour.CommandText = StartHour;
        _startHourKey = UsageDatabase.Parameters(_startHour, "$dimension", "$value", "$hour");
        _addFromHour = connection.CreateCommand();
        _addFromHour.CommandText = AddFromHour;
        _addFromHourKey = UsageDatabase.Parameters(_addFromHour, "$dimension", "$value", "$hour");
        _addFromHourCounters = UsageDatabase.Parameters(_addFromHour, [.. HourlyCounts.Names.Select(n => "$" + n)]);
    }

    public string Description => "SQLite " + _database.Path;

    public void Add(IReadOnlyDictionary<HourlyKey, HourlyCounts> batch)
    {
        using var transaction = _database.Connection.BeginTransaction();
        Add(batch, transaction);
        transaction.Commit();
    }

    public void Add(IReadOnlyDictionary<HourlyKey, HourlyCounts> batch, SqliteTransaction transaction)
    {
        _upsert.Transaction = transaction;
        var names = _database.Names;
        var running = new Dictionary<(Dimension Dimension, long Value, long Hour), HourlyCounts>();
        foreach (var (key, counts) in batch)
        {
            long keyId = names.IdOf(key.KeyId, transaction), model = names.IdOf(key.Model, transaction);
            long token = names.IdOf(key.Token, transaction), outcome = names.IdOf(key.Outcome, transaction);
            Set(_upsertDimensions, key.Hour, keyId, model, token, outcome);
            Set(_upsertCounters, counts.Values);
            _upsert.ExecuteNonQuery();
            AddTo(running, (Dimension.All, 0, key.Hour), counts);
            AddTo(running, (Dimension.Key, keyId, key.Hour), counts);
            AddTo(running, (Dimension.Model, model, key.Hour), counts);
            AddTo(running, (Dimension.Token, token, key.Hour), counts);
            AddTo(running, (Dimension.Outcome, outcome, key.Hour), counts);
        }

        _startHour.Transaction = transaction;
        _addFromHour.Transaction = transaction;
        foreach (var ((dimension, value, hour), counts) in running.OrderBy(r => r.Key.Hour))
        {
            Set(_startHourKey, (long)dimension, value, hour);
            _startHour.ExecuteNonQuery();
            Set(_addFromHourKey, (long)dimension, value, hour);
            Set(_addFromHourCounters, counts.Values);
            _addFromHour.ExecuteNonQuery();
        }
    }

    /// <summary>Every aggregate of the hours <paramref name="fromHour"/> to <paramref name="toHour"/>, with their names (what Redis's <see cref="Read"/> gives too).</summary>
    public IReadOnlyList<KeyValuePair<HourlyKey, HourlyCounts>> Read(long fromHour, long toHour)
    {
        using var command = _database.Connection.CreateCommand();
        command.CommandText = $"SELECT hour, key, model, token, outcome, {UsageSchema.Counters} FROM hourly WHERE hour BETWEEN $from AND $to";
        command.Parameters.AddWithValue("$from", fromHour);
        command.Parameters.AddWithValue("$to", toHour);
        var result = new List<KeyValuePair<HourlyKey, HourlyCounts>>();
        var names = _database.Names;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var key = new HourlyKey(reader.GetInt64(0), names.NameOf(reader.GetInt64(1)), names.NameOf(reader.GetInt64(2)), names.NameOf(reader.GetInt64(3)),
                names.NameOf(reader.GetInt64(4)));
            result.Add(new(key, ReadCounts(reader, 5)));
        }

        return result;
    }

    public void Dispose()
    {
        _upsert.Dispose();
        _startHour.Dispose();
        _addFromHour.Dispose();
    }

    /// <summary>The counters in the columns from <paramref name="first"/> on, in <see cref="HourlyCounts.Names"/>' order.</summary>
    public static HourlyCounts ReadCounts(SqliteDataReader reader, int first)
    {
        var counts = new HourlyCounts();
        for (int i = 0; i < HourlyCounts.Names.Count; i++)
        {
            counts.Set(i, reader.IsDBNull(first + i) ? 0 : reader.GetInt64(first + i));
        }

        return counts;
    }

    private static void AddTo(Dictionary<(Dimension, long, long), HourlyCounts> running, (Dimension, long, long) key, HourlyCounts counts)
    {
        if (!running.TryGetValue(key, out var sum))
        {
            running[key] = sum = new HourlyCounts();
        }

        sum.Add(counts);
    }

    private static void Set(SqliteParameter[] parameters, params ReadOnlySpan<long> values)
    {
        for (int i = 0; i < parameters.Length; i++)
        {
            parameters[i].Value = values[i];
        }
    }
}
