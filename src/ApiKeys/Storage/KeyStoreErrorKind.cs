namespace ApiKeys.Storage;

/// <summary>What went wrong with a store.</summary>
public enum KeyStoreErrorKind
{
    /// <summary>Something else.</summary>
    Other = 0,

    /// <summary>The file is not valid JSON, or is truncated.</summary>
    Corrupt,

    /// <summary>Valid JSON of the wrong shape (wrong types, duplicate entries, missing fields).</summary>
    InvalidShape,

    /// <summary>A format version this build does not know.</summary>
    UnsupportedVersion,

    /// <summary>Larger than the store accepts.</summary>
    TooLarge,

    /// <summary>Permission denied.</summary>
    PermissionDenied,

    /// <summary>Another I/O failure (disk full, read-only file system).</summary>
    Io,

    /// <summary>The store is encrypted and the passphrase is wrong or missing, or the file was tampered with.</summary>
    Decryption,

    /// <summary>A directory (or another kind of entry) stands where the store keeps a file.</summary>
    NotAFile,

    /// <summary>The store directory does not exist, and the store was told not to create it.</summary>
    NotFound,

    /// <summary>
    /// The keys file is plain JSON although the store is to be encrypted (a passphrase was given): it is not read, nor
    /// written in clear; <c>apikeys encrypt</c> encrypts it.
    /// </summary>
    NotEncrypted,
}
