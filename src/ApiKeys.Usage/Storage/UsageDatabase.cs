using System.Globalization;
using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage.Storage;

/// <summary>
/// The SQLite file of the usage statistics (<c>usage.db</c> in the store directory, 0600, WAL so readers never wait for the
/// writer) and its name table. Opened for writing by the store (one writer per file), read-only by the query API.
/// Not thread-safe: one user at a time.
/// </summary>
internal sealed class UsageDatabase : IDisposable
{
    /// <summary>The file's name in the store directory.</summary>
    public const string FileName = "usage.db";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private UsageDatabase(SqliteConnection connection, string path)
    {
        Connection = connection;
        Path = path;
        Names = new NameTable(connection);
        Contexts = new ContextTable(connection);
    }

    public SqliteConnection Connection { get; }

    public string Path { get; }

    public NameTable Names { get; }

    public ContextTable Contexts { get; }

    /// <summary>Opens (creating it 0600 if needed) the file for writing, with its tables.</summary>
    /// <exception cref="UsageStoreException">The file cannot be opened, is not a usage database, or is corrupt.</exception>
    public static UsageDatabase OpenWriter(string path)
    {
        if (!File.Exists(path))
        {
            if (!OperatingSystem.IsWindows())
            {
                using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerOnly });
            }
        }

        // An existing file is looked at read-only first: a damaged one is reported before a writer (whose close would at
        // least rewrite its header) touches it.
        if (new FileInfo(path).Length > 0)
        {
            Probe(path);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 5000");
            // auto_vacuum must be chosen before the first table: space freed by retention goes back to the file system.
            Execute(connection, "PRAGMA auto_vacuum = INCREMENTAL");
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, "PRAGMA synchronous = NORMAL");
            if (Format(connection, path) == 1)
            {
                SchemaMigration.FromVersion1(connection);
            }

            using (var transaction = connection.BeginTransaction())
            {
                foreach (var statement in UsageSchema.Statements)
                {
                    Execute(connection, statement, transaction);
                }

                Execute(connection, $"INSERT OR IGNORE INTO meta(name, value) VALUES ('format', '{UsageSchema.Version}')", transaction);
                transaction.Commit();
            }

            return new UsageDatabase(connection, path);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw UsageStoreException.From(path, e);
        }
    }

    /// <summary>Opens an existing file read-only (the query API; the writer may be running).</summary>
    /// <exception cref="UsageStoreException">The file does not exist or cannot be read.</exception>
    public static UsageDatabase OpenReader(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageStoreException(path, $"{path} does not exist: no usage was recorded here yet (the gateway writes it: apikeys serve)", null);
        }

        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 5000");
            if (Format(connection, path) == 1)
            {
                throw new UsageStoreException(path, $"{path} is in the format of an earlier apikeys (format 1); the gateway converts it when it starts "
                    + "(apikeys serve, or any UsageStore opening it), then it can be read", null);
            }

            return new UsageDatabase(connection, path);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw UsageStoreException.From(path, e);
        }
        catch (UsageStoreException)
        {
            connection.Dispose();
            throw;
        }
    }

    public static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    /// <summary>Adds integer parameters named <paramref name="names"/> to <paramref name="command"/> (set for each use of a prepared statement).</summary>
    public static SqliteParameter[] Parameters(SqliteCommand command, params ReadOnlySpan<string> names)
    {
        var parameters = new SqliteParameter[names.Length];
        for (int i = 0; i < names.Length; i++)
        {
            parameters[i] = command.Parameters.Add(names[i], SqliteType.Integer);
        }

        return parameters;
    }

    public static long? Scalar(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters) => Scalar(connection, null, sql, parameters);

    public static long? Scalar(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var result = command.ExecuteScalar();
        return result is null or DBNull ? null : Convert.ToInt64(result, CultureInfo.InvariantCulture);
    }

    public void Dispose() => Connection.Dispose();

    /// <summary>The value of <paramref name="name"/> in <c>meta</c>, as a number; null when absent.</summary>
    public long? Meta(string name, SqliteTransaction? transaction = null)
    {
        using var command = Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT value FROM meta WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        return command.ExecuteScalar() is string text && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : null;
    }

    /// <summary>Sets <paramref name="name"/> in <c>meta</c>.</summary>
    public void SetMeta(string name, long value, SqliteTransaction? transaction = null)
    {
        using var command = Connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "INSERT INTO meta(name, value) VALUES ($name, $value) ON CONFLICT(name) DO UPDATE SET value = excluded.value";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$value", value.ToString(CultureInfo.InvariantCulture));
        command.ExecuteNonQuery();
    }

    /// <summary>Reads the format of an existing file read-only, and, when it is to be converted, checks every page.</summary>
    /// <exception cref="UsageStoreException">The file is not a usage database, is corrupt or is of a later format.</exception>
    private static void Probe(string path)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 5000");
            if (Format(connection, path) == 1)
            {
                SchemaMigration.Check(connection);
            }
        }
        catch (SqliteException e)
        {
            throw UsageStoreException.From(path, e);
        }
    }

    /// <summary>The file's format (0: a new, empty file).</summary>
    /// <exception cref="UsageStoreException">A later format than this version reads.</exception>
    private static int Format(SqliteConnection connection, string path)
    {
        // Reads the schema: a file that is not a database fails here, at once, not at the first write.
        bool hasMeta = Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE name = 'meta'") > 0;
        if (!hasMeta)
        {
            return 0;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT value FROM meta WHERE name = 'format'";
        int version = command.ExecuteScalar() is string text && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : 0;
        if (version > UsageSchema.Version)
        {
            throw new UsageStoreException(path, $"{path} was written by a newer apikeys (format {version}); this one reads format {UsageSchema.Version}", null);
        }

        return version;
    }
}
