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
        Reason = message;
    }

    /// <summary>Creates the exception.</summary>
    public KeyStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reason = message;
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">The whole message, naming the file.</param>
    /// <param name="path">The file.</param>
    /// <param name="kind">What went wrong.</param>
    /// <param name="line">The 1-based line of a parse error.</param>
    /// <param name="column">The 1-based byte column of a parse error.</param>
    /// <param name="innerException">The cause.</param>
    /// <param name="reason">What went wrong in a few words, without the file (<c>Permission denied</c>); null: the message.</param>
    public KeyStoreException(string message, string? path, KeyStoreErrorKind kind, long? line = null, long? column = null, Exception? innerException = null,
        string? reason = null)
        : base(message, innerException)
    {
        Path = path;
        Kind = kind;
        Line = line;
        Column = column;
        Reason = reason ?? message;
    }

    /// <summary>The file concerned.</summary>
    public string? Path { get; }

    /// <summary>What went wrong.</summary>
    public KeyStoreErrorKind Kind { get; }

    /// <summary>The 1-based line of a parse error.</summary>
    public long? Line { get; }

    /// <summary>The 1-based byte column of a parse error.</summary>
    public long? Column { get; }

    /// <summary>
    /// What went wrong in a few words, without the file or what was being done (<c>Permission denied</c>,
    /// <c>No space left on device</c>), for messages that say those themselves; the whole message when there is nothing shorter.
    /// </summary>
    public string Reason { get; } = "";

    /// <summary>
    /// Set when the file was renamed into place but the directory could not be flushed: the new content is what readers
    /// see, though it may not survive a power cut. A states write's snapshot rides along, so the pool counts it once.
    /// </summary>
    internal bool Committed { get; init; }

    /// <summary>What the store holds after a <see cref="Committed"/> states write.</summary>
    internal KeyStoreSnapshot? CommittedSnapshot { get; set; }
}
