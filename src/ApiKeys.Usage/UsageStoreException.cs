using Microsoft.Data.Sqlite;

namespace ApiKeys.Usage;

/// <summary>The usage database cannot be used: which file, what is wrong, and what to do.</summary>
public sealed class UsageStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public UsageStoreException(string path, string message, Exception? inner)
        : base(message, inner)
    {
        Path = path;
    }

    /// <summary>Creates the exception.</summary>
    public UsageStoreException()
        : this("", "The usage database cannot be used.", null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public UsageStoreException(string message)
        : this("", message, null)
    {
    }

    /// <summary>Creates the exception.</summary>
    public UsageStoreException(string message, Exception innerException)
        : this("", message, innerException)
    {
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    internal static UsageStoreException From(string path, SqliteException e) => e.SqliteErrorCode switch
    {
        11 or 26 => new UsageStoreException(path,
            $"{path} is not a usage database or is corrupt ({e.Message.TrimEnd('.')}); requests are served without usage statistics. "
            + $"Fix: stop the gateway, move the file away (mv {path} {path}.bad, with its -wal and -shm files), and start again: a new one is made", e),
        _ => new UsageStoreException(path, $"{path} cannot be used ({e.Message.TrimEnd('.')}); requests are served without usage statistics. Fix: check the file's owner, mode and the disk", e),
    };
}
