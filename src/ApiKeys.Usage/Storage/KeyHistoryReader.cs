using ApiKeys.Usage.Queries;

namespace ApiKeys.Usage.Storage;

/// <summary>Reads a key's transitions (newest first).</summary>
internal static class KeyHistoryReader
{
    public static IReadOnlyList<KeyHistoryEntry> Read(UsageDatabase database, string? keyId, DateTimeOffset? from, int limit)
    {
        using var command = database.Connection.CreateCommand();
        string where = "at >= $from";
        command.Parameters.AddWithValue("$from", from?.ToUnixTimeMilliseconds() ?? 0);
        if (keyId is not null)
        {
            if (database.Names.Find(keyId) is not { } id)
            {
                return [];
            }

            where += " AND key = $key";
            command.Parameters.AddWithValue("$key", id);
        }

        command.CommandText = $"SELECT at, key, kind, failure, model, until, reason FROM key_events WHERE {where} ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", Math.Clamp(limit, 1, 100_000));
        var result = new List<KeyHistoryEntry>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result.Add(new KeyHistoryEntry(
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)),
                database.Names.NameOf(reader.GetInt64(1)),
                reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) || reader.GetString(4).Length == 0 ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(5)),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return result;
    }
}
