using System.Security.Cryptography;
using ApiKeys.Keys;
using ApiKeys.Storage;
using Microsoft.Extensions.Logging;

namespace ApiKeys.Security;

/// <summary>
/// Opens an encrypted JSON store, and turns a store's keys file from plain to encrypted and back, changes its passphrase,
/// and writes and restores encrypted backups. Every change holds the store lock and is written atomically (0600).
/// </summary>
public static class EncryptedStore
{
    /// <summary>The role bound into the keys file's envelope.</summary>
    public const string KeysRole = "keys";

    /// <summary>The role bound into a backup's envelope: a backup put in place of the keys file is refused.</summary>
    public const string BackupRole = "backup";

    /// <summary>Options of a <see cref="JsonKeyStore"/> that encrypts its keys file with a passphrase from <paramref name="provider"/>.</summary>
    /// <param name="provider">The passphrase source.</param>
    /// <param name="protectorOptions">The key derivation parameters; null for the defaults.</param>
    public static JsonKeyStoreOptions StoreOptions(IPassphraseProvider provider, PassphraseProtectorOptions? protectorOptions = null) =>
        new() { Protector = new PassphraseProtector(provider, protectorOptions) };

    /// <summary>
    /// Opens the store in <paramref name="directory"/>, reading and writing its keys file encrypted. A plain keys file is refused
    /// (<see cref="KeyStoreErrorKind.NotEncrypted"/>): <see cref="Encrypt"/> is the one way from plain to encrypted. A store
    /// with no keys file yet gets an encrypted one at its first key.
    /// </summary>
    /// <param name="directory">The store directory.</param>
    /// <param name="provider">The passphrase source, asked once.</param>
    /// <param name="options">The pool's options.</param>
    /// <param name="logger">A logger.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="protectorOptions">The key derivation parameters; null for the defaults.</param>
    /// <exception cref="KeyStoreException">
    /// Wrong passphrase or a damaged file (<see cref="KeyStoreErrorKind.Decryption"/>), a plain keys file
    /// (<see cref="KeyStoreErrorKind.NotEncrypted"/>); nothing is overwritten.
    /// </exception>
    public static ApiKeyManager Open(string directory, IPassphraseProvider provider, ApiKeyManagerOptions? options = null,
        ILogger<ApiKeyManager>? logger = null, TimeProvider? timeProvider = null, PassphraseProtectorOptions? protectorOptions = null) =>
        new(new JsonKeyStore(directory, StoreOptions(provider, protectorOptions), timeProvider), options, logger, timeProvider);

    /// <summary>Whether the keys file in <paramref name="directory"/> is encrypted (false when there is none).</summary>
    public static bool IsEncrypted(string directory)
    {
        var bytes = ReadFile(KeysPath(directory));
        return bytes is not null && EncryptedEnvelopeMagic.IsEnvelope(bytes);
    }

    /// <summary>
    /// Encrypts the plain keys file (<c>apikeys encrypt</c>): a new data key under the passphrase the provider gives for
    /// <see cref="PassphrasePurpose.New"/>. A seed-format states file, which names keys by their secret, is rewritten by id.
    /// A store with no keys file yet gets an empty encrypted one.
    /// </summary>
    /// <exception cref="KeyStoreException">Already encrypted, unreadable, or cannot be written; the files are left as they were.</exception>
    public static void Encrypt(string directory, IPassphraseProvider provider, PassphraseProtectorOptions? protectorOptions = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        string keysPath = KeysPath(directory);
        using var fileLock = LockStore(directory);
        var bytes = ReadFile(keysPath);
        if (bytes is not null && EncryptedEnvelopeMagic.IsEnvelope(bytes))
        {
            throw new KeyStoreException($"{keysPath} is already encrypted.", keysPath, KeyStoreErrorKind.Other);
        }

        var (keys, generation) = bytes is null ? ([], 0) : ParsePlain(bytes, keysPath);
        using var protector = new PassphraseProtector(provider, protectorOptions);
        WriteKeys(keysPath, keys, generation + 1, protector, KeysRole);
        MigrateSeedStates(Path.Combine(Path.GetFullPath(directory), JsonKeyStore.StatesFileName));
    }

    /// <summary>Decrypts the keys file back to plain JSON (<c>apikeys decrypt</c>; the tool asks for a confirmation first).</summary>
    /// <exception cref="KeyStoreException">Not encrypted, wrong passphrase, damaged; the file is left as it was.</exception>
    public static void Decrypt(string directory, IPassphraseProvider provider, PassphraseProtectorOptions? protectorOptions = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        string keysPath = KeysPath(directory);
        using var fileLock = LockStore(directory);
        using var protector = new PassphraseProtector(provider, protectorOptions);
        var (keys, generation) = ReadEncrypted(keysPath, protector, KeysRole);
        WriteKeys(keysPath, keys, generation + 1, protector: null, KeysRole);
    }

    /// <summary>
    /// Changes the passphrase (<c>apikeys passwd</c>): the data key is unwrapped with the current passphrase and wrapped
    /// under the new one; the file is sealed again under a fresh nonce (its header is the payload's associated data).
    /// </summary>
    /// <param name="directory">The store directory.</param>
    /// <param name="current">The current passphrase, asked with <see cref="PassphrasePurpose.Unlock"/>.</param>
    /// <param name="next">The new passphrase, asked with <see cref="PassphrasePurpose.New"/>.</param>
    /// <param name="newDataKey">Also replace the data key (when the old passphrase leaked and old copies of the file may exist).</param>
    /// <param name="protectorOptions">The key derivation parameters; null for the defaults.</param>
    /// <exception cref="KeyStoreException">Not encrypted, wrong passphrase, damaged; the file is left as it was.</exception>
    public static void ChangePassphrase(string directory, IPassphraseProvider current, IPassphraseProvider next, bool newDataKey = false,
        PassphraseProtectorOptions? protectorOptions = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(next);
        string keysPath = KeysPath(directory);
        using var fileLock = LockStore(directory);
        using var protector = new PassphraseProtector(current, protectorOptions);
        var (keys, generation) = ReadEncrypted(keysPath, protector, KeysRole);
        protector.ChangePassphrase(next, newDataKey);
        WriteKeys(keysPath, keys, generation + 1, protector, KeysRole);
    }

    /// <summary>
    /// Writes a backup of the keys file to <paramref name="destination"/> (0600): encrypted under the store's data key with the
    /// role <c>backup</c> when the store is encrypted, plain JSON when it is not.
    /// </summary>
    public static void Backup(string directory, string destination, IPassphraseProvider provider, PassphraseProtectorOptions? protectorOptions = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(destination);
        string keysPath = KeysPath(directory);
        using var fileLock = LockStore(directory);
        var bytes = ReadFile(keysPath) ?? throw new KeyStoreException($"{keysPath}: there is no keys file to back up.", keysPath, KeyStoreErrorKind.Io);
        if (!EncryptedEnvelopeMagic.IsEnvelope(bytes))
        {
            var (plainKeys, plainGeneration) = ParsePlain(bytes, keysPath);
            WriteKeys(Path.GetFullPath(destination), plainKeys, plainGeneration, protector: null, BackupRole);
            return;
        }

        using var protector = new PassphraseProtector(provider, protectorOptions);
        var (keys, generation) = ReadEncrypted(keysPath, protector, KeysRole);
        WriteKeys(Path.GetFullPath(destination), keys, generation, protector, BackupRole);
    }

    /// <summary>
    /// Puts a backup back as the keys file, with a generation above the current file's, so running processes accept it as a
    /// new version rather than refusing it as a replay. An encrypted backup stays encrypted.
    /// </summary>
    public static void Restore(string directory, string backup, IPassphraseProvider provider, PassphraseProtectorOptions? protectorOptions = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentException.ThrowIfNullOrWhiteSpace(backup);
        string backupPath = Path.GetFullPath(backup);
        string keysPath = KeysPath(directory);
        using var fileLock = LockStore(directory);
        var bytes = ReadFile(backupPath) ?? throw new KeyStoreException($"{backupPath}: the backup does not exist.", backupPath, KeyStoreErrorKind.Io);
        long current = CurrentGeneration(keysPath);
        if (!EncryptedEnvelopeMagic.IsEnvelope(bytes))
        {
            var (plainKeys, plainGeneration) = ParsePlain(bytes, backupPath);
            WriteKeys(keysPath, plainKeys, Math.Max(current, plainGeneration) + 1, protector: null, KeysRole);
            return;
        }

        using var protector = new PassphraseProtector(provider, protectorOptions);
        var (keys, generation) = ReadEncrypted(backupPath, protector, BackupRole);
        WriteKeys(keysPath, keys, Math.Max(current, generation) + 1, protector, KeysRole);
    }

    private static string KeysPath(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        return Path.Combine(Path.GetFullPath(directory), JsonKeyStore.KeysFileName);
    }

    private static StoreLock LockStore(string directory)
    {
        string full = Path.GetFullPath(directory);
        if (!Directory.Exists(full))
        {
            throw new KeyStoreException($"{full}: the store directory does not exist.", full, KeyStoreErrorKind.NotFound, reason: "the store directory does not exist");
        }

        return StoreLock.Acquire(Path.Combine(full, JsonKeyStore.LockFileName), "keys");
    }

    private static (List<ApiKey> Keys, long Generation) ParsePlain(byte[] bytes, string path)
    {
        try
        {
            var (keys, _, generation) = KeysFile.Parse(bytes, path, TimeProvider.System.GetUtcNow());
            return (keys, generation);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static (List<ApiKey> Keys, long Generation) ReadEncrypted(string path, PassphraseProtector protector, string role)
    {
        var bytes = ReadFile(path) ?? throw new KeyStoreException($"{path}: there is no keys file.", path, KeyStoreErrorKind.Io);
        if (!EncryptedEnvelopeMagic.IsEnvelope(bytes))
        {
            CryptographicOperations.ZeroMemory(bytes);
            throw new KeyStoreException($"{path} is not encrypted.", path, KeyStoreErrorKind.Other);
        }

        var (plaintext, envelopeGeneration) = protector.Unprotect(bytes, role, path);
        var (keys, generation) = ParsePlain(plaintext, path);
        return (keys, Math.Max(generation, envelopeGeneration));
    }

    private static void WriteKeys(string path, List<ApiKey> keys, long generation, PassphraseProtector? protector, string role)
    {
        // Disposing the buffer zeroes every byte of the plaintext.
        using var json = KeysFile.Serialize(keys, generation);
        AtomicFile.CleanStale(Path.GetDirectoryName(path)!, Path.GetFileName(path));
        if (protector is null)
        {
            AtomicFile.Write(path, json.WrittenSpan);
        }
        else
        {
            AtomicFile.Write(path, protector.Protect(json.WrittenSpan, role, generation));
        }
    }

    private static long CurrentGeneration(string keysPath)
    {
        var bytes = ReadFile(keysPath);
        if (bytes is null)
        {
            return 0;
        }

        if (EncryptedEnvelopeMagic.IsEnvelope(bytes))
        {
            // Unauthenticated, but only used to move the generation forward: at worst a larger number.
            try
            {
                return KeyEnvelope.Parse(bytes, keysPath).Generation;
            }
            catch (KeyStoreException)
            {
                return 0;
            }
        }

        try
        {
            return ParsePlain(bytes, keysPath).Generation;
        }
        catch (KeyStoreException)
        {
            return 0;
        }
    }

    private static void MigrateSeedStates(string statesPath)
    {
        var bytes = ReadFile(statesPath);
        if (bytes is null)
        {
            return;
        }

        // The seed's states file names keys by their secret.
        StatesFile.Content content;
        try
        {
            content = StatesFile.Parse(bytes, statesPath);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }

        if (content.Seed)
        {
            // The same (initial) epoch: running pools merge into the migrated file instead of taking it for a rotation.
            AtomicFile.Write(statesPath, StatesFile.Serialize(content.States, content.Generation + 1, content.Epoch));
        }
    }

    private static byte[]? ReadFile(string path) => StoreFile.Read(path);
}
