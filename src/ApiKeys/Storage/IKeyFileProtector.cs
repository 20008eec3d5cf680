namespace ApiKeys.Storage;

/// <summary>Encrypts and decrypts the keys file (and backups) at rest. The JSON store calls it around every read and write.</summary>
public interface IKeyFileProtector
{
    /// <summary>Whether <paramref name="fileBytes"/> is a protected envelope (checked by its magic value).</summary>
    bool IsProtected(ReadOnlySpan<byte> fileBytes);

    /// <summary>Decrypts and authenticates an envelope.</summary>
    /// <param name="fileBytes">The file as read.</param>
    /// <param name="role">The file's role (<c>keys</c>, <c>backup</c>), bound to the ciphertext.</param>
    /// <param name="path">The file, for messages.</param>
    /// <returns>The plaintext JSON and the envelope's generation.</returns>
    /// <exception cref="KeyStoreException">Wrong passphrase, tampering, unknown version or parameters out of bounds (<see cref="KeyStoreErrorKind.Decryption"/>).</exception>
    (byte[] Plaintext, long Generation) Unprotect(ReadOnlySpan<byte> fileBytes, string role, string path);

    /// <summary>Encrypts <paramref name="plaintext"/> into an envelope.</summary>
    /// <param name="plaintext">The JSON to protect.</param>
    /// <param name="role">The file's role, bound to the ciphertext.</param>
    /// <param name="generation">The write's generation, bound to the ciphertext (a higher one on every write).</param>
    byte[] Protect(ReadOnlySpan<byte> plaintext, string role, long generation);
}
