using ApiKeys.Storage;

namespace ApiKeys.Cli;

/// <summary>A store problem in one line: what the library says (file and position), and the fix.</summary>
internal static class StoreErrors
{
    /// <summary><c>what happened (file); fix: ...</c>.</summary>
    public static string Describe(KeyStoreException e)
    {
        var (message, fix) = Parts(e);
        return $"{message}; fix: {fix}";
    }

    /// <summary>
    /// A write that failed: <c>Not disabled: what happened (file); nothing was changed on disk; fix: ...</c>. Only true of
    /// a pool opened by <see cref="StoreOpener.Open"/>, whose store never writes a change after a failed write.
    /// </summary>
    public static CliException NotSaved(string notDone, KeyStoreException e, string changed = "nothing was changed on disk")
    {
        ArgumentNullException.ThrowIfNull(e);
        var (message, fix) = Parts(e);

        // A change the store refused may say so itself ("...; nothing was changed."): said once, as the tool says it.
        const string LibrarySays = "; nothing was changed";
        if (message.EndsWith(LibrarySays, StringComparison.Ordinal))
        {
            message = message[..^LibrarySays.Length];
        }

        return new CliException($"{notDone}: {message}; {changed}; fix: {fix}", e);
    }

    /// <summary>The library's message (without a closing full stop) and the fix for its kind of problem.</summary>
    public static (string Message, string Fix) Parts(KeyStoreException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string path = e.Path ?? "the store";
        string fix = e.Kind switch
        {
            KeyStoreErrorKind.NotAFile when IsLink(e.Path) => $"rm {path} (a link; the store creates its own file there)",
            _ when IsMisplacedDirectory(e.Path) =>
                $"{path} is a directory where the store keeps a file: move it away (mv {path} {path}.old)",
            KeyStoreErrorKind.NotAFile => $"{path} must be a plain file of this store: move it away (mv {path} {path}.old)",
            KeyStoreErrorKind.NotFound => "run apikeys init, or add a key (apikeys add), or check --dir / APIKEYS_DIR",
            KeyStoreErrorKind.NotEncrypted =>
                "encrypt it with apikeys encrypt (the passphrase given becomes its passphrase); if this store was encrypted, the file was replaced: " +
                "restore an encrypted backup (apikeys restore <backup>); or unset APIKEYS_PASSPHRASE / drop --passphrase-file to use it in clear",
            KeyStoreErrorKind.Corrupt or KeyStoreErrorKind.InvalidShape =>
                $"repair {path} by hand or restore a backup (apikeys restore <backup>)",
            KeyStoreErrorKind.UnsupportedVersion => "a newer apikeys wrote it; upgrade this tool",
            KeyStoreErrorKind.TooLarge => $"{path} is not a key store; check --dir / APIKEYS_DIR",
            KeyStoreErrorKind.PermissionDenied =>
                $"let your user read and write it (ls -l {path}; chmod u+rw, and u+rwx on its directory), or run as its owner",
            KeyStoreErrorKind.Decryption =>
                "give the right passphrase (APIKEYS_PASSPHRASE, --passphrase-file, or the prompt on a terminal), or restore a backup if the file was modified",
            KeyStoreErrorKind.Io => "check that the disk is not full or read-only",
            _ => "check the store directory (apikeys doctor)",
        };

        // The library's messages may end in a full stop ("...; the file was left as it is."): no ".;" before the fix.
        return (e.Message.TrimEnd().TrimEnd('.'), fix);
    }

    /// <summary>Whether <paramref name="path"/> is one of the store's files (keys, states, lock) but a directory.</summary>
    private static bool IsMisplacedDirectory(string? path) =>
        path is not null
        && Path.GetFileName(path) is JsonKeyStore.KeysFileName or JsonKeyStore.StatesFileName or JsonKeyStore.LockFileName
        && Directory.Exists(path);

    /// <summary>Whether <paramref name="path"/> is a symbolic link (to a directory, a file, or nothing).</summary>
    private static bool IsLink(string? path) => path is not null && new FileInfo(path).LinkTarget is not null;
}
