using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys.Cli;

/// <summary>
/// The one place the tool opens a store: the passphrase (APIKEYS_PASSPHRASE, --passphrase-file, a hidden prompt) when
/// the keys file is encrypted, and the refusal of a store that other users can read (unless --allow-shared).
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

    /// <summary>Options for the JSON store of this run: with the passphrase only when the keys file is encrypted.</summary>
    /// <remarks>A protector on a plain store would encrypt it at the first key change: that is <c>apikeys encrypt</c>'s job.</remarks>
    public JsonKeyStoreOptions StoreOptions()
    {
        if (!IsEncrypted)
        {
            return new JsonKeyStoreOptions();
        }

        _protector ??= new PassphraseProtector(Passphrase(), context.ProtectorOptions);
        return new JsonKeyStoreOptions { Protector = _protector };
    }

    /// <summary>The JSON store of this run (not yet read).</summary>
    public JsonKeyStore OpenStore() => new(context.StoreDirectory, StoreOptions(), context.Time);

    /// <summary>The pool on this run's store, logging the library's warnings and errors on stderr in the seed's form.</summary>
    /// <param name="checkPermissions">Refuse a store other users can read (false only for <c>doctor</c>, which reports it).</param>
    /// <exception cref="KeyStoreException">A store file cannot be read (turned into one line with its fix by <see cref="CliApp"/>).</exception>
    /// <exception cref="CliException">The group or others can read the store.</exception>
    public ApiKeyManager Open(bool checkPermissions = true)
    {
        if (checkPermissions)
        {
            EnsurePrivate();
        }

        return new(OpenStore(), new ApiKeyManagerOptions(), new StderrLogger(context), context.Time);
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
