using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// The small integers of <c>contexts</c>: a request's token, route, model, status and outcome together (the log row's
/// <c>context</c>). They are few (tokens x routes x models x statuses seen), whatever the number of keys. Not thread-safe.
/// </summary>
internal sealed class ContextTable(SqliteConnection connection)
{
    private readonly Dictionary<RequestContext, long> _ids = [];
    private readonly Dictionary<long, RequestContext> _contexts = [];

    /// <summary>The id of <paramref name="context"/>, added to the file when new (inside the writer's transaction).</summary>
    public long IdOf(RequestContext context, SqliteTransaction transaction)
    {
        if (_ids.TryGetValue(context, out long id))
        {
            return id;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO contexts(token, route, model, status, outcome) VALUES ($token, $route, $model, $status, $outcome) "
            + "ON CONFLICT DO UPDATE SET token = excluded.token RETURNING id";
        command.Parameters.AddWithValue("$token", context.Token);
        command.Parameters.AddWithValue("$route", context.Route);
        command.Parameters.AddWithValue("$model", context.Model);
        command.Parameters.AddWithValue("$status", context.Status);
        command.Parameters.AddWithValue("$outcome", context.Outcome);
        id = (long)command.ExecuteScalar()!;
        _ids[context] = id;
        _contexts[id] = context;
        return id;
    }

    /// <summary>The context of <paramref name="id"/> (those written since the last read are loaded on demand).</summary>
    public RequestContext Of(long id)
    {
        if (_contexts.TryGetValue(id, out var context))
        {
            return context;
        }

        Load();
        return _contexts.TryGetValue(id, out context) ? context : default;
    }

    /// <summary>The ids of the contexts that pass <paramref name="where"/> (an SQL condition on the columns of <c>contexts</c>).</summary>
    public List<long> Where(string where, params (string Name, object Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id FROM contexts WHERE " + where + " ORDER BY id";
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var ids = new List<long>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    /// <summary>Forgets the cache (after a failed transaction, whose new contexts were rolled back).</summary>
    public void Reset()
    {
        _ids.Clear();
        _contexts.Clear();
    }

    private void Load()
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, token, route, model, status, outcome FROM contexts";
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var context = new RequestContext(reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt32(4), reader.GetInt64(5));
            _contexts[reader.GetInt64(0)] = context;
            _ids[context] = reader.GetInt64(0);
        }
    }
}
