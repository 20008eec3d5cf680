using ApiKeys.Storage;

namespace ApiKeys.Cli;

/// <summary>
/// The one place the tool opens a store. Store options (and, with the encryption issue, the passphrase provider:
/// APIKEYS_PASSPHRASE, --passphrase-file, a hidden prompt) plug in here, so every command gets them.
/// </summary>
internal sealed class StoreOpener(CliContext context)
{
    /// <summary>Options for the JSON store of this run.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822:Mark members as static",
        Justification = "The passphrase provider of the encryption issue plugs in here and reads the context.")]
    public JsonKeyStoreOptions StoreOptions() => new();

    /// <summary>The JSON store of this run (not yet read).</summary>
    public JsonKeyStore OpenStore() => new(context.StoreDirectory, StoreOptions(), context.Time);

    /// <summary>The pool on this run's store, logging the library's warnings and errors on stderr in the seed's form.</summary>
    /// <exception cref="KeyStoreException">A store file cannot be read (turned into one line with its fix by <see cref="CliApp"/>).</exception>
    public ApiKeyManager Open() =>
        new(OpenStore(), new ApiKeyManagerOptions(), new StderrLogger(context), context.Time);
}
