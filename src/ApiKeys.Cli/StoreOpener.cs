using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys.Cli;

/// <summary>
/// The one place the tool opens a store: the passphrase (APIKEYS_PASSPHRASE, --passphrase-file, a hidden prompt) when
/// the keys file is encrypted or a passphrase is given, the refusal of a store that other users can read (unless
/// --allow-shared), and <see cref="Change"/>, through which every command changes it.
/// </summary>
internal sealed class StoreOpener(CliContext context) : IDisposable
{
    // One protector a run: the passphrase is asked and the key derived once, however often the store is opened
    // (the seed's console opens it for every menu choice).
    private PassphraseProtector? _protector;
    private CachedPassphrase? _passphrase;

    /// <summary>Whether the store's keys file is encrypted.</summary>
    public bool IsEncrypted => EncryptedStore.IsEncrypted(context.StoreDirectory);

    /// <summary>The passphrase source of this run, for the library's one-off operations (encrypt, backup, restore).</summary>
    public IPassphraseProvider Passphrase() => _passphrase ??= new CachedPassphrase(Passphrases.Current(context));

    /// <summary>
    /// Options for the JSON store of this run: with the passphrase when the keys file is encrypted, or when one is given
    /// (<see cref="Passphrases.IsConfigured"/>). Given one, the store is the library's encrypted store: a store with no
    /// keys file yet is created encrypted, and a plain keys file is refused (<see cref="KeyStoreErrorKind.NotEncrypted"/>),
    /// never read nor written in clear; <c>apikeys encrypt</c> is the one way from plain to encrypted.
    /// </summary>
    public JsonKeyStoreOptions StoreOptions()
    {
        if (!Passphrases.IsConfigured(context) && !IsEncrypted)
        {
            return new JsonKeyStoreOptions();
        }

        _protector ??= new PassphraseProtector(Passphrase(), context.ProtectorOptions);
        return new JsonKeyStoreOptions { Protector = _protector };
    }

    /// <summary>The JSON store of this run (not yet read).</summary>
    /// <param name="creates">Whether the command creates the store (init, restore); otherwise its directory must exist.</param>
    /// <exception cref="CliException">There is no store directory and the command does not create one.</exception>
    public JsonKeyStore OpenStore(bool creates = false)
    {
        if (!creates)
        {
            RequireStore();
        }

        return new(context.StoreDirectory, StoreOptions(), context.Time);
    }

    /// <summary>The pool on this run's store, logging the library's warnings and errors on stderr in the seed's form.</summary>
    /// <param name="creates">Whether the command may create the store (add, import, rotate, the console); otherwise its directory must exist.</param>
    /// <param name="checkPermissions">Refuse a store other users can read (false only for <c>doctor</c>, which reports it).</param>
    /// <param name="keyEvents">
    /// Whether the library's lines about key changes are shown (false for <c>enable</c>/<c>disable</c>/<c>reset</c>, which
    /// say what they did themselves, once it is on disk).
    /// </param>
    /// <exception cref="KeyStoreException">A store file cannot be read (turned into one line with its fix by <see cref="CliApp"/>).</exception>
    /// <exception cref="CliException">No store, the group or others can read it, or a key on the command line.</exception>
    public ApiKeyManager Open(bool creates = false, bool checkPermissions = true, bool keyEvents = true)
    {
        if (!creates)
        {
            RequireStore();
        }

        if (checkPermissions)
        {
            EnsurePrivate();
        }

        var store = new FailStopStore(OpenStore(creates: true));
        var manager = new ApiKeyManager(store, new ApiKeyManagerOptions(), new StderrLogger(context) { KeyEvents = keyEvents }, context.Time);
        context.RedactWith(manager);
        try
        {
            // The pool knows its keys whatever their shape: one of them given as an argument or an option's value is refused too.
            ArgumentGuard.Refuse(context.Arguments, manager.Redactor);
        }
        catch
        {
            manager.Dispose();
            throw;
        }

        return manager;
    }

    /// <summary>
    /// Makes one change to the store (<c>m =&gt; m.Disable(id)</c>) and returns only once it is on disk. A change fails in
    /// one of two ways, and both read the same: the store refuses it at once (<see cref="KeyStoreException"/>: a directory
    /// or a link where the lock file should be, a file that cannot be read), and the pool holds nothing of it; or its
    /// write fails (permission, disk) and the pool keeps it in memory to retry, which <see cref="FailStopStore"/> prevents.
    /// </summary>
    /// <param name="manager">The pool to change.</param>
    /// <param name="notDone">What was not done, for the message: <c>Not disabled (AIza...0003)</c>.</param>
    /// <param name="change">The change.</param>
    /// <returns>What <paramref name="change"/> returned.</returns>
    /// <exception cref="CliException">The change failed: what was not done, why, that nothing was changed on disk, and the fix.</exception>
    public static T Change<T>(ApiKeyManager manager, string notDone, Func<ApiKeyManager, T> change)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(change);
        try
        {
            var result = change(manager);
            manager.Flush();
            return result;
        }
        catch (KeyStoreException e)
        {
            throw StoreErrors.NotSaved(notDone, e);
        }
    }

    /// <summary>Writes what the command changed (the keys' states) and returns only once it is on disk (see <see cref="Change"/>).</summary>
    /// <exception cref="CliException">The write failed: what was not done, why, that nothing was changed on disk, and the fix.</exception>
    public static void Save(ApiKeyManager manager, string notDone) => Change(manager, notDone, static _ => true);

    /// <summary>
    /// Backs the store up (<see cref="StoreBackup.Create"/>). With a passphrase given, a plain keys file is refused here as by
    /// every command (the store's own check, <see cref="KeyStoreErrorKind.NotEncrypted"/>), not copied as if all were well.
    /// </summary>
    /// <param name="target">Where the copies go; null: the store directory.</param>
    /// <exception cref="KeyStoreException">No keys file, it cannot be read (or is plain under a passphrase), or a copy cannot be written.</exception>
    public StoreBackupFiles BackUp(string? target)
    {
        if (Passphrases.IsConfigured(context) && !IsEncrypted)
        {
            OpenStore(creates: true).Load();
        }

        return StoreBackup.Create(context.StoreDirectory, target, Passphrase(), context.ProtectorOptions, context.Time);
    }

    /// <summary>Refuses a store directory that does not exist (a mistyped <c>--dir</c> is not an empty store).</summary>
    /// <exception cref="CliException">No such directory.</exception>
    public void RequireStore()
    {
        string dir = context.StoreDirectory;
        if (!Directory.Exists(dir))
        {
            throw new CliException($"no store at {dir}; run apikeys init or add a key (apikeys add --dir {dir}), or check --dir / APIKEYS_DIR");
        }
    }

    /// <summary>
    /// Refuses a store whose files the group or others can read or write, unless <c>--allow-shared</c>. The directory
    /// counts only when others can write to it: a 0755 directory (mkdir's default) shows file names, not secrets.
    /// </summary>
    /// <exception cref="CliException">The store is exposed.</exception>
    public void EnsurePrivate()
    {
        if (context.AllowShared)
        {
            return;
        }

        string dir = context.StoreDirectory;
        var exposed = StorePermissions.FindExposed(dir).Where(entry => Counts(dir, entry)).ToList();
        if (exposed.Count > 0)
        {
            throw new CliException(
                $"refusing a store other users can read: {string.Join(", ", exposed)}; " +
                $"fix: chmod 700 {dir} && chmod 600 {dir}/*.json (or apikeys doctor --fix), or pass --allow-shared if it is meant to be shared");
        }
    }

    public void Dispose()
    {
        _protector?.Dispose();
        _protector = null;
        _passphrase?.Dispose();
        _passphrase = null;
    }

    private static bool Counts(string dir, string entry)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        if (entry.StartsWith(dir + " (", StringComparison.Ordinal))
        {
            return (File.GetUnixFileMode(dir) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0;
        }

        // The store's files and their backups hold the secrets (or, in the seed's states format, name keys by them);
        // other files beside them (.gitignore, a .env being imported) are not the store's to judge.
        string name = Path.GetFileName(entry[..entry.LastIndexOf(" (", StringComparison.Ordinal)]);
        return name.EndsWith(".json", StringComparison.Ordinal)
            && (name.StartsWith("api_keys", StringComparison.Ordinal) || name.StartsWith("api_key_states", StringComparison.Ordinal));
    }
}
