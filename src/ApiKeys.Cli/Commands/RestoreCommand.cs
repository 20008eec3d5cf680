using System.CommandLine;
using System.Globalization;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys restore &lt;backup&gt;</c>: puts a backup back (<see cref="StoreBackup"/>). The backup is read first (a damaged
/// one or a wrong passphrase changes nothing), the current store is backed up, then both files are replaced.
/// </summary>
internal static class RestoreCommand
{
    public static Command Create(CliContext context)
    {
        var backup = new Argument<string>("backup")
        {
            Description = "The keys backup file (api_keys_2026-01-31.json), or a date (2026-01-31: the latest backup of that day in the store directory).",
        };
        var yes = GlobalOptions.Yes();
        var command = new Command("restore", "Restore a backup made by apikeys backup (the current store is backed up first).") { backup, yes };
        command.SetAction(parse =>
        {
            context.Stores.EnsurePrivate();
            var store = context.Stores.OpenStore(creates: true);
            string keysBackup = Locate(store.Directory, parse.GetValue(backup)!);
            var read = Read(context, keysBackup);
            bool wasEncrypted = context.Stores.IsEncrypted;

            if (!parse.GetValue(yes) && !context.Ask(string.Create(CultureInfo.InvariantCulture,
                    $"Replace the store in {store.Directory} with {Path.GetFileName(keysBackup)} ({read.KeyCount} keys)? [y/N]: ")))
            {
                throw new CliException("Not restored: nothing was changed (confirm with y, or pass --yes).");
            }

            if (File.Exists(store.KeysPath))
            {
                KeepCurrent(context, store);
            }

            StoreBackup.Restore(store.Directory, keysBackup, context.Stores.Passphrase(), context.ProtectorOptions);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Restored {read.KeyCount} keys from {keysBackup}"));
            if (!read.IsEncrypted && (wasEncrypted || Passphrases.IsConfigured(context)))
            {
                context.Error.WriteLine($"apikeys: note: {Path.GetFileName(keysBackup)} is not encrypted, so the keys file is plain{(wasEncrypted ? " again" : "")}: " +
                    $"apikeys encrypt encrypts it{(Passphrases.IsConfigured(context) ? " (until then, with a passphrase given, commands refuse it)" : "")}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Reads the backup before anything changes; a plain backup that cannot be read is refused here.</summary>
    private static StoreBackupInfo Read(CliContext context, string keysBackup)
    {
        try
        {
            return StoreBackup.Read(keysBackup, context.Stores.Passphrase(), context.ProtectorOptions);
        }
        catch (KeyStoreException e) when (e.Kind is not KeyStoreErrorKind.Decryption)
        {
            throw new CliException($"Not restored: {keysBackup} cannot be read ({StoreErrors.Parts(e).Message}); the store was left as it is.", e);
        }
    }

    /// <summary>
    /// Backs the current store up before it is replaced. A keys file that cannot be read (the reason to restore) cannot be
    /// backed up the usual way (an encrypted backup is made from the decrypted keys): its bytes are kept as they are instead.
    /// </summary>
    private static void KeepCurrent(CliContext context, JsonKeyStore store)
    {
        try
        {
            var saved = context.Stores.BackUp(store.Directory);
            context.Out.WriteLine($"The current store was backed up to {saved.KeysPath}");
        }
        catch (KeyStoreException e)
        {
            var (keys, states) = StoreBackup.KeepAsIs(store.Directory, context.Time);
            context.Out.WriteLine($"The current keys file cannot be read ({StoreErrors.Parts(e).Message}): its bytes were kept in {keys}{(states is null ? "" : $", the states in {states}")}");
        }
    }

    private static string Locate(string storeDirectory, string backup)
    {
        if (File.Exists(backup))
        {
            return Path.GetFullPath(backup);
        }

        if (DateOnly.TryParseExact(backup, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && StoreBackup.Find(storeDirectory, date) is { } found)
        {
            return found;
        }

        throw new CliException($"No backup '{backup}': give a file made by apikeys backup, or a date with a backup in {storeDirectory}.");
    }
}
