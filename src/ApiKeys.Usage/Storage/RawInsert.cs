using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// One prepared statement of integer (or null) parameters, bound and stepped straight through SQLite's C API on the
/// connection's own handle, for the writes done once per request (the request log's rows). Through
/// <see cref="SqliteCommand"/> each row cost a reader, a boxed value and a type switch per parameter, about as much as the
/// gateway's whole request path spends on accounting; here a row is the bind calls and one step. It runs inside whatever
/// transaction the connection has open, and a failure is the <see cref="SqliteException"/> the provider would throw.
/// </summary>
internal sealed class RawInsert : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;

    // What each parameter holds now: SQLite keeps a statement's bindings across resets, so a value equal to the last row's
    // (the same key, context, token counts, no retry: most of a row) is not bound again. A call into SQLite costs a handle
    // reference, a mutex and the binding itself.
    private readonly (bool Set, long? Value)[] _bound;

    public RawInsert(SqliteConnection connection, string sql)
    {
        _connection = connection;
        var db = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(db, sql, out _statement), db);
        _bound = new (bool, long?)[raw.sqlite3_bind_parameter_count(_statement) + 1];
    }

    /// <summary>Binds parameter <paramref name="index"/> (1-based, in the statement's order).</summary>
    public void Bind(int index, long value) => Bind(index, (long?)value);

    /// <summary>Binds the value, or NULL when there is none.</summary>
    public void Bind(int index, long? value)
    {
        ref var bound = ref _bound[index];
        if (bound.Set && bound.Value == value)
        {
            return;
        }

        bound = default;
        Check(value is { } v ? raw.sqlite3_bind_int64(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));
        bound = (true, value);
    }

    /// <summary>Runs the statement with what is bound, then makes it ready for the next row.</summary>
    public void Execute()
    {
        int rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _connection.Handle);
        }
    }
}
