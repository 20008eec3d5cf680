using System.Globalization;
using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys.Cli;

/// <summary>
/// The seed's dated copies (<c>cp api_keys.json api_keys_$(date +%F).json</c>): <c>api_keys_YYYY-MM-DD.json</c> and
/// <c>api_key_states_YYYY-MM-DD.json</c>, taken under the store lock so the pair is consistent, created 0600, and
/// never over an earlier backup of the same day (the next one is <c>_2</c>, <c>_3</c>, ...). The backup of an encrypted
/// store is encrypted.
/// </summary>
internal static class Backups
{
    public const string KeysPrefix = "api_keys_";
    public const string StatesPrefix = "api_key_states_";

    /// <summary>What follows the prefix in the name of a copy of files that could not be read (<see cref="KeepAsIs"/>).</summary>
    public const string UnreadablePrefix = "unreadable_";

    /// <summary>Copies the store's files into <paramref name="target"/>; returns the two paths (states null when the store has none).</summary>
    public static (string Keys, string? States) Take(CliContext context, JsonKeyStore store, string target)
    {
        if (!File.Exists(store.KeysPath))
        {
            throw new CliException($"Nothing to back up: no {JsonKeyStore.KeysFileName} in {store.Directory} (apikeys init creates a store).");
        }

        if (EncryptedStore.IsEncrypted(store.Directory))
        {
            CreateDirectory(target);
            return TakeEncrypted(context, store, target);
        }

        if (Passphrases.IsConfigured(context))
        {
            // A passphrase is given, the keys file is plain: refused here as by every command (the store's own check,
            // NotEncrypted), not copied as if all were well.
            store.Load();
        }

        CreateDirectory(target);

        using var fileLock = StoreLock.Acquire(store.LockPath, "the backup");
        var keys = File.ReadAllBytes(store.KeysPath);
        var states = File.Exists(store.StatesPath) ? File.ReadAllBytes(store.StatesPath) : null;
        var (keysPath, statesPath) = Reserve(context, target, keys);
        return (keysPath, WriteStates(statesPath, states));
    }

    /// <summary>
    /// Copies the store's files byte for byte, whatever they hold, to <c>api_keys_unreadable_YYYY-MM-DD.json</c> (and the
    /// states beside it): what <c>restore</c> keeps of a keys file it cannot back up the usual way. The name is not that of a
    /// dated backup, so <c>restore DATE</c> never picks it; it matches the .gitignore's <c>api_keys*.json</c> and doctor's checks.
    /// </summary>
    public static (string Keys, string? States) KeepAsIs(CliContext context, JsonKeyStore store)
    {
        using var fileLock = StoreLock.Acquire(store.LockPath, "the backup");
        var keys = File.ReadAllBytes(store.KeysPath);
        var states = File.Exists(store.StatesPath) ? File.ReadAllBytes(store.StatesPath) : null;
        var (keysPath, statesPath) = Reserve(context, store.Directory, keys, UnreadablePrefix);
        return (keysPath, WriteStates(statesPath, states));
    }

    /// <summary>
    /// An encrypted store's backup is encrypted the same way (<see cref="EncryptedStore.Backup"/>: the store's data key,
    /// the role <c>backup</c>, so it cannot be put in place of the keys file by hand). The dated name is reserved first
    /// (an empty 0600 file), then replaced atomically. The library takes the store lock for the keys and this method
    /// takes it again for the states: the pair is not one snapshot, which only matters for counters written meanwhile.
    /// </summary>
    private static (string Keys, string? States) TakeEncrypted(CliContext context, JsonKeyStore store, string target)
    {
        var (keysPath, statesPath) = Reserve(context, target, []);
        try
        {
            EncryptedStore.Backup(store.Directory, keysPath, context.Stores.Passphrase(), context.ProtectorOptions);
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

        return (keysPath, WriteStates(statesPath, states));
    }

    /// <summary>Creates the first free dated keys file (never over an earlier backup) with <paramref name="keys"/>.</summary>
    private static (string Keys, string States) Reserve(CliContext context, string target, byte[] keys, string kind = "")
    {
        var local = TimeZoneInfo.ConvertTime(context.Time.GetUtcNow(), context.Time.LocalTimeZone);
        string date = local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
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
            throw new CliException($"Could not write {statesPath}: it appeared meanwhile; run the backup again.");
        }

        return statesPath;
    }

    /// <summary>The states file that goes with a keys backup (<c>api_keys_2026-01-31.json</c> -> <c>api_key_states_2026-01-31.json</c>).</summary>
    public static string StatesFor(string keysBackup)
    {
        string name = Path.GetFileName(keysBackup);
        string states = name.StartsWith(KeysPrefix, StringComparison.Ordinal) ? StatesPrefix + name[KeysPrefix.Length..] : name + ".states";
        return Path.Combine(Path.GetDirectoryName(keysBackup) ?? ".", states);
    }

    /// <summary>Creates a directory 0700 (the store's rule) if missing.</summary>
    public static void CreateDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

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
