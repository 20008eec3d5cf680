namespace ApiKeys.Storage;

/// <summary>A store problem: a file that cannot be read, parsed or written. Names the file and, for parse errors, the position.</summary>
public sealed class KeyStoreException : IOException
{
    /// <summary>Creates the exception.</summary>
    public KeyStoreException()
        : this("The key store failed.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public KeyStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public KeyStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The whole message, naming the file.</param>
    /// <param name="path">The file.</param>
    /// <param name="kind">What went wrong.</param>
    /// <param name="line">The 1-based line of a parse error.</param>
    /// <param name="column">The 1-based byte column of a parse error.</param>
    /// <param name="innerException">The cause.</param>
    public KeyStoreException(string message, string? path, KeyStoreErrorKind kind, long? line = null, long? column = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Path = path;
        Kind = kind;
        Line = line;
        Column = column;
    }

    /// <summary>The file concerned.</summary>
    public string? Path { get; }

    /// <summary>What went wrong.</summary>
    public KeyStoreErrorKind Kind { get; }

    /// <summary>The 1-based line of a parse error.</summary>
    public long? Line { get; }

    /// <summary>The 1-based byte column of a parse error.</summary>
    public long? Column { get; }
}
