using ApiKeys.Storage;

namespace ApiKeys.Cli;

/// <summary>A store problem in one line: what the library says (file and position), and the fix.</summary>
internal static class StoreErrors
{
    public static string Describe(KeyStoreException e)
    {
        ArgumentNullException.ThrowIfNull(e);
        string path = e.Path ?? "the store";
        string fix = e.Kind switch
        {
            KeyStoreErrorKind.Corrupt or KeyStoreErrorKind.InvalidShape =>
                $"fix: repair {path} by hand or restore a backup (apikeys restore <backup>); it was left as it is",
            KeyStoreErrorKind.UnsupportedVersion => "fix: a newer apikeys wrote it; upgrade this tool",
            KeyStoreErrorKind.TooLarge => $"fix: {path} is not a key store; check --dir / APIKEYS_DIR",
            KeyStoreErrorKind.PermissionDenied =>
                $"fix: let your user read and write it (ls -l {path}; chmod u+rw, and u+rwx on its directory), or run as its owner",
            KeyStoreErrorKind.Decryption =>
                "fix: give the right passphrase (APIKEYS_PASSPHRASE, --passphrase-file, or the prompt on a terminal), or restore a backup if the file was modified",
            KeyStoreErrorKind.Io => "fix: check that the disk is not full or read-only",
            _ => "fix: check the store directory (apikeys doctor)",
        };
        // The envelope's messages end in a full stop ("...; the file was left as it is."): no ".;" before the fix.
        string message = e.Kind == KeyStoreErrorKind.Decryption ? e.Message.TrimEnd('.') : e.Message;
        return $"{message}; {fix}";
    }
}
