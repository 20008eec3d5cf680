using System.Globalization;
using System.Security.Cryptography;
using ApiKeys.Security;

namespace ApiKeys.Storage;

/// <summary>
/// Backups of a JSON store, the seed's dated copies (<c>cp api_keys.json api_keys_$(date +%F).json</c>):
/// <c>api_keys_YYYY-MM-DD.json</c> and <c>api_key_states_YYYY-MM-DD.json</c>, taken under the store lock so the pair is
/// consistent, created 0600, never over an earlier backup of the same day (the next one is <c>_2</c>, <c>_3</c>, ...).
/// The backup of an encrypted store is encrypted (role <c>backup</c>: it cannot be put in place of the keys file by hand).
/// Restoring reads the backup first (a damaged one or a wrong passphrase changes nothing), then replaces both files.
/// </summary>
public static partial class StoreBackup
{
    /// <summary>What a keys backup's name starts with.</summary>
    public const string KeysPrefix = "api_keys_";

    /// <summary>What a states backup's name starts with.</summary>
    public const string StatesPrefix = "api_key_states_";

    /// <summary>What follows the prefix in the name of a copy of files that could not be read (<see cref="KeepAsIs"/>).</summary>
    public const string UnreadableInfix = "unreadable_";

    /// <summary>Copies the store in <paramref name="directory"/> to the first free dated names in <paramref name="target"/>.</summary>
    /// <param name="directory">The store directory.</param>
    /// <param name="target">Where the copies go (created 0700 if missing); null: the store directory, as the seed's <c>cp</c> does.</param>
    /// <param name="passphrase">The passphrase of an encrypted store (asked only if the store is encrypted).</param>
    /// <param name="protectorOptions">The key derivation parameters; null for the defaults.</param>
    /// <param name="timeProvider">The clock whose local date names the copies; null for the system clock.</param>
    /// <returns>The copies (<see cref="StoreBackupFiles.StatesPath"/> null when the store has no states file).</returns>
    /// <exception cref="KeyStoreException">There is no keys file, it cannot be read, or a copy cannot be written.</exception>
    public static StoreBackupFiles Create(string directory, string? target = null, IPassphraseProvider? passphrase = null,
        PassphraseProtectorOptions? protectorOptions = null, TimeProvider? timeProvider = null)
    {
        var store = new JsonKeyStore(directory);
        if (!File.Exists(store.KeysPath))
        {
            throw new KeyStoreException($"{store.KeysPath}: there is no keys file to back up.", store.KeysPath, KeyStoreErrorKind.NotFound,
                reason: "there is no keys file to back up");
        }

        string into = Path.GetFullPath(target ?? store.Directory);
        CreateDirectory(into);
        if (EncryptedStore.IsEncrypted(store.Directory))
        {
            return CreateEncrypted(store, into, passphrase, protectorOptions, Today(timeProvider));
        }

        using var fileLock = StoreLock.Acquire(store.LockPath, "the backup");
        var keys = File.ReadAllBytes(store.KeysPath);
        var states = File.Exists(store.StatesPath) ? File.ReadAllBytes(store.StatesPath) : null;
        try
        {
            var (keysPath, statesPath) = Reserve(into, Today(timeProvider), keys);
            return new(keysPath, WriteStates(statesPath, states));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    /// <summary>
    /// Copies the store's files byte for byte, whatever they hold, to <c>api_keys_unreadable_YYYY-MM-DD.json</c> (and the
    /// states beside it) in the store directory: what to keep of a keys file that cannot be backed up the usual way before a
    /// restore replaces it. The name is not a dated backup's, so <see cref="Find"/> never picks it.
    /// </summary>
    /// <exception cref="KeyStoreException">The copy cannot be written.</exception>
    public static StoreBackupFiles KeepAsIs(string directory, TimeProvider? timeProvider = null)
    {
        var store = new JsonKeyStore(directory);
        using var fileLock = StoreLock.Acquire(store.LockPath, "the backup");
        var keys = File.ReadAllBytes(store.KeysPath);
        var states = File.Exists(store.StatesPath) ? File.ReadAllBytes(store.StatesPath) : null;
        var (keysPath, statesPath) = Reserve(store.Directory, Today(timeProvider), keys, UnreadableInfix);
        return new(keysPath, WriteStates(statesPath, states));
    }

    /// <summary>Reads a backup (the keys file, and the states file beside it if any) without changing anything.</summary>
    /// <param name="keysBackup">The keys backup file.</param>
    /// <param name="passphrase">The passphrase, for an encrypted backup.</param>
    /// <param name="protectorOptions">The key derivation parameters; null for the defaults.</param>
    /// <returns>What the backup holds.</returns>
    /// <exception cref="KeyStoreException">The backup cannot be read or decrypted; the message names the file.</exception>
    public static StoreBackupInfo Read(string keysBackup, IPassphraseProvider? passphrase = null, PassphraseProtectorOptions? protectorOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keysBackup);
        string keysPath = Path.GetFullPath(keysBackup);
        string statesPath = StatesFor(keysPath);
        var keys = StoreFile.Read(keysPath) ?? throw Missing(keysPath);
        bool encrypted = EncryptedEnvelopeMagic.IsEnvelope(keys);
        int count = encrypted ? CountEncrypted(keysPath, keys, passphrase, protectorOptions) : CountPlain(keysPath, keys);
        var states = StoreFile.Read(statesPath);
        if (states is not null)
        {
            StatesFile.Parse(states, statesPath);
        }

        return new StoreBackupInfo(keysPath, states is null ? null : statesPath, count, encrypted);
    }

    /// <summary>
    /// Puts a backup back as the store in <paramref name="directory"/> (created 0700 if missing): the keys file (an encrypted
    /// backup stays encrypted, with a generation above the current file's, so running processes take it as new) and the
    /// states file (removed when the backup has none). Read the backup first with <see cref="Read"/>, and back the current
    /// store up with <see cref="Create"/> (or <see cref="KeepAsIs"/>): this replaces both files. The backup is read whole
    /// before anything is written: a damaged one or a wrong passphrase changes nothing.
    /// </summary>
    /// <exception cref="KeyStoreException">The backup cannot be read or decrypted, or the store cannot be written.</exception>
    public static void Restore(string directory, string keysBackup, IPassphraseProvider? passphrase = null, PassphraseProtectorOptions? protectorOptions = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keysBackup);
        string keysPath = Path.GetFullPath(keysBackup);
        string statesPath = StatesFor(keysPath);
        var keys = StoreFile.Read(keysPath) ?? throw Missing(keysPath);
        try
        {
            var states = StoreFile.Read(statesPath);
            if (states is not null)
            {
                StatesFile.Parse(states, statesPath);
            }

            bool encrypted = EncryptedEnvelopeMagic.IsEnvelope(keys);
            if (!encrypted)
            {
                KeysFile.Parse(keys, keysPath, TimeProvider.System.GetUtcNow());
            }

            var store = new JsonKeyStore(directory);
            CreateDirectory(store.Directory);
            if (encrypted)
            {
                // Decrypted (role backup) before anything is written: a wrong passphrase changes nothing.
                EncryptedStore.Restore(store.Directory, keysPath, passphrase ?? throw PassphraseNeeded(keysPath, "read it"), protectorOptions);
            }

            using var fileLock = StoreLock.Acquire(store.LockPath, "keys");
            if (!encrypted)
            {
                AtomicFile.Write(store.KeysPath, keys);
            }

            if (states is not null)
            {
                AtomicFile.Write(store.StatesPath, states);
            }
            else if (File.Exists(store.StatesPath))
            {
                File.Delete(store.StatesPath);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    /// <summary>The latest backup of <paramref name="date"/> in <paramref name="directory"/> (<c>api_keys_D.json</c>, then <c>_2</c>, ...), or null.</summary>
    public static string? Find(string directory, DateOnly date)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        if (!Directory.Exists(directory))
        {
            return null;
        }

        string day = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var candidates = Directory.GetFiles(Path.GetFullPath(directory), $"{KeysPrefix}{day}*.json");

        // api_keys_D.json, then api_keys_D_2.json, ...: the latest has the highest number.
        return candidates.Length == 0 ? null : candidates.OrderBy(c => c.Length).ThenBy(c => c, StringComparer.Ordinal).Last();
    }

    /// <summary>The states file that goes with a keys backup (<c>api_keys_2026-01-31.json</c> -> <c>api_key_states_2026-01-31.json</c>).</summary>
    public static string StatesFor(string keysBackup)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keysBackup);
        string name = Path.GetFileName(keysBackup);
        string states = name.StartsWith(KeysPrefix, StringComparison.Ordinal) ? StatesPrefix + name[KeysPrefix.Length..] : name + ".states";
        return Path.Combine(Path.GetDirectoryName(keysBackup) ?? ".", states);
    }
}
