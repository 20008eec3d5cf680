using System.Globalization;
using System.Security.Cryptography;
using ApiKeys.Security;

namespace ApiKeys.Storage;

public static partial class StoreBackup
{
    /// <summary>
    /// An encrypted store's backup, encrypted the same way (<see cref="EncryptedStore.Backup"/>). The dated name is reserved
    /// first (an empty 0600 file), then replaced atomically. The keys and the states are read under two holds of the store
    /// lock: the pair is not one snapshot, which only matters for counters written meanwhile.
    /// </summary>
    private static StoreBackupFiles CreateEncrypted(JsonKeyStore store, string target, IPassphraseProvider? passphrase,
        PassphraseProtectorOptions? protectorOptions, DateOnly date)
    {
        if (passphrase is null)
        {
            throw PassphraseNeeded(store.KeysPath, "back it up");
        }

        var (keysPath, statesPath) = Reserve(target, date, []);
        try
        {
            EncryptedStore.Backup(store.Directory, keysPath, passphrase, protectorOptions);
        }
        catch
        {
            File.Delete(keysPath);
            throw;
        }

        byte[]? states;
        using (StoreLock.Acquire(store.LockPath, "the backup"))
        {
            states = File.Exists(store.StatesPath) ? File.ReadAllBytes(store.StatesPath) : null;
        }

        return new(keysPath, WriteStates(statesPath, states));
    }

    private static int CountPlain(string path, byte[] keys)
    {
        try
        {
            return KeysFile.Parse(keys, path, TimeProvider.System.GetUtcNow()).Keys.Count;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys);
        }
    }

    /// <summary>Decrypts the backup (role <c>backup</c>) to count its keys: a wrong passphrase is found before anything changes.</summary>
    private static int CountEncrypted(string path, byte[] keys, IPassphraseProvider? passphrase, PassphraseProtectorOptions? protectorOptions)
    {
        if (passphrase is null)
        {
            throw PassphraseNeeded(path, "read it");
        }

        using var protector = new PassphraseProtector(passphrase, protectorOptions);
        var (plaintext, _) = protector.Unprotect(keys, EncryptedStore.BackupRole, path);
        return CountPlain(path, plaintext);
    }

    private static KeyStoreException PassphraseNeeded(string path, string what) =>
        new($"{path} is encrypted: a passphrase is needed to {what}.", path, KeyStoreErrorKind.Decryption, reason: "a passphrase is needed");

    private static KeyStoreException Missing(string path) =>
        new($"{path}: the backup does not exist.", path, KeyStoreErrorKind.NotFound, reason: "the backup does not exist");

    private static DateOnly Today(TimeProvider? timeProvider)
    {
        var time = timeProvider ?? TimeProvider.System;
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(time.GetUtcNow(), time.LocalTimeZone).DateTime);
    }

    /// <summary>Creates the first free dated keys file (never over an earlier backup) with <paramref name="keys"/>.</summary>
    private static (string Keys, string States) Reserve(string target, DateOnly day, byte[] keys, string kind = "")
    {
        string date = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        for (int n = 1; ; n++)
        {
            string suffix = n == 1 ? date : string.Create(CultureInfo.InvariantCulture, $"{date}_{n}");
            string keysPath = Path.Combine(target, $"{KeysPrefix}{kind}{suffix}.json");
            string statesPath = Path.Combine(target, $"{StatesPrefix}{kind}{suffix}.json");
            if (!File.Exists(keysPath) && !File.Exists(statesPath) && TryCreate(keysPath, keys))
            {
                return (keysPath, statesPath);
            }
        }
    }

    private static string? WriteStates(string statesPath, byte[]? states)
    {
        if (states is null)
        {
            return null;
        }

        if (!TryCreate(statesPath, states))
        {
            throw new KeyStoreException($"Could not write {statesPath}: it appeared meanwhile; take the backup again.", statesPath, KeyStoreErrorKind.Io,
                reason: "it appeared meanwhile");
        }

        return statesPath;
    }

    private static void CreateDirectory(string path)
    {
        try
        {
            StoreDirectory.CreateMissing(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var kind = e is UnauthorizedAccessException ? KeyStoreErrorKind.PermissionDenied : KeyStoreErrorKind.Io;
            throw new KeyStoreException($"Failed to create {path}: {e.Message}", path, kind, innerException: e, reason: e.Message);
        }
    }

    /// <summary>Creates <paramref name="path"/> 0600 with <paramref name="content"/>, flushed; false when it exists already.</summary>
    private static bool TryCreate(string path, byte[] content)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var stream = new FileStream(path, options);
            stream.Write(content);
            stream.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }
}
