using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>The small integers that stand for dimension values (key ids, models, token names, routes, outcomes) in the file; 0 is "". Not thread-safe.</summary>
internal sealed class NameTable(SqliteConnection connection)
{
    private const int Recent = 32;

    private readonly Dictionary<string, long> _ids = new(StringComparer.Ordinal) { [""] = 0 };
    private readonly Dictionary<long, string> _names = new() { [0] = "" };

    // The last names looked up, by the string object itself: a request's route, model, token and outcome are the same few
    // string objects row after row, and comparing references skips hashing the text (five names a logged request).
    private readonly (string? Name, long Id)[] _recent = new (string?, long)[Recent];

    /// <summary>The id of <paramref name="name"/>, added to the file when new (inside the writer's transaction).</summary>
    public long IdOf(string name, SqliteTransaction transaction)
    {
        ref var recent = ref _recent[System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(name) & (Recent - 1)];
        if (ReferenceEquals(recent.Name, name))
        {
            return recent.Id;
        }

        if (_ids.TryGetValue(name, out long id))
        {
            recent = (name, id);
            return id;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO names(name) VALUES ($name) ON CONFLICT(name) DO UPDATE SET name = excluded.name RETURNING id";
        command.Parameters.AddWithValue("$name", name);
        id = (long)command.ExecuteScalar()!;
        _ids[name] = id;
        _names[id] = name;
        return id;
    }

    /// <summary>The id of <paramref name="name"/> if the file has it (for filters), else null.</summary>
    public long? Find(string name)
    {
        if (_ids.TryGetValue(name, out long id))
        {
            return id;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM names WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        if (command.ExecuteScalar() is long found)
        {
            _ids[name] = found;
            _names[found] = name;
            return found;
        }

        return null;
    }

    /// <summary>The name of <paramref name="id"/> (on a miss, the table is loaded again: it holds a few hundred names).</summary>
    public string NameOf(long id)
    {
        if (_names.TryGetValue(id, out var name))
        {
            return name;
        }

        // Every name, not those after the largest id known: Find may have cached a later id than names not read yet.
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, name FROM names";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            _names[reader.GetInt64(0)] = reader.GetString(1);
            _ids[reader.GetString(1)] = reader.GetInt64(0);
        }

        return _names.TryGetValue(id, out name) ? name : "?";
    }

    /// <summary>Forgets the cache (after a failed transaction, whose new names were rolled back).</summary>
    public void Reset()
    {
        Array.Clear(_recent);
        _ids.Clear();
        _names.Clear();
        _ids[""] = 0;
        _names[0] = "";
    }
}
