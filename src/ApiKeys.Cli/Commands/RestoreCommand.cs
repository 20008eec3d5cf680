using System.CommandLine;
using System.Globalization;
using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys restore &lt;backup&gt;</c>: puts a backup back. The backup is read first (a damaged one changes
/// nothing), the current store is backed up, then both files are replaced atomically under the store lock.
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
            string statesBackup = Backups.StatesFor(keysBackup);
            byte[] keys = File.ReadAllBytes(keysBackup);
            byte[]? states = File.Exists(statesBackup) ? File.ReadAllBytes(statesBackup) : null;
            bool encrypted = EncryptedEnvelopeMagic.IsEnvelope(keys);
            bool wasEncrypted = context.Stores.IsEncrypted;
            int count = encrypted ? CountEncryptedKeys(context, keysBackup, keys) : CountKeys(context, keysBackup, keys, states);

            if (!parse.GetValue(yes) && !context.Ask(string.Create(CultureInfo.InvariantCulture,
                    $"Replace the store in {store.Directory} with {Path.GetFileName(keysBackup)} ({count} keys)? [y/N]: ")))
            {
                throw new CliException("Not restored: nothing was changed (confirm with y, or pass --yes).");
            }

            if (File.Exists(store.KeysPath))
            {
                KeepCurrent(context, store);
            }

            Backups.CreateDirectory(store.Directory);
            if (encrypted)
            {
                // Stays encrypted, with a generation above the current file's (running processes take it as new).
                EncryptedStore.Restore(store.Directory, keysBackup, context.Stores.Passphrase(), context.ProtectorOptions);
            }

            using (StoreLock.Acquire(store.LockPath, "keys"))
            {
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

            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Restored {count} keys from {keysBackup}"));
            if (!encrypted && (wasEncrypted || Passphrases.IsConfigured(context)))
            {
                context.Error.WriteLine($"apikeys: note: {Path.GetFileName(keysBackup)} is not encrypted, so the keys file is plain{(wasEncrypted ? " again" : "")}: " +
                    $"apikeys encrypt encrypts it{(Passphrases.IsConfigured(context) ? " (until then, with a passphrase given, commands refuse it)" : "")}.");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Backs the current store up before it is replaced. A keys file that cannot be read (the reason to restore) cannot be
    /// backed up the usual way (an encrypted backup is made from the decrypted keys): its bytes are kept as they are instead.
    /// </summary>
    private static void KeepCurrent(CliContext context, JsonKeyStore store)
    {
        try
        {
            var (saved, _) = Backups.Take(context, store, store.Directory);
            context.Out.WriteLine($"The current store was backed up to {saved}");
        }
        catch (KeyStoreException e)
        {
            var (keys, states) = Backups.KeepAsIs(context, store);
            context.Out.WriteLine($"The current keys file cannot be read ({StoreErrors.Parts(e).Message}): its bytes were kept in {keys}{(states is null ? "" : $", the states in {states}")}");
        }
    }

    private static string Locate(string storeDirectory, string backup)
    {
        if (File.Exists(backup))
        {
            return Path.GetFullPath(backup);
        }

        if (DateOnly.TryParseExact(backup, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            var candidates = Directory.Exists(storeDirectory)
                ? Directory.GetFiles(storeDirectory, $"{Backups.KeysPrefix}{backup}*.json")
                : [];
            if (candidates.Length > 0)
            {
                // api_keys_D.json, then api_keys_D_2.json, ...: the latest has the highest number.
                return candidates.OrderBy(c => c.Length).ThenBy(c => c, StringComparer.Ordinal).Last();
            }
        }

        throw new CliException($"No backup '{backup}': give a file made by apikeys backup, or a date with a backup in {storeDirectory}.");
    }

    /// <summary>Decrypts the backup (role <c>backup</c>) to count its keys before anything changes: a wrong passphrase changes nothing.</summary>
    private static int CountEncryptedKeys(CliContext context, string keysBackup, byte[] keys)
    {
        using var protector = new PassphraseProtector(context.Stores.Passphrase(), context.ProtectorOptions);
        var (plaintext, _) = protector.Unprotect(keys, EncryptedStore.BackupRole, keysBackup);
        try
        {
            return KeysFile.Parse(plaintext, keysBackup, context.Time.GetUtcNow()).Keys.Count;
        }
        finally
        {
            Array.Clear(plaintext);
        }
    }

    private static int CountKeys(CliContext context, string keysBackup, byte[] keys, byte[]? states)
    {
        string temp = Path.Combine(Path.GetTempPath(), $"apikeys-restore-{Guid.NewGuid():N}");
        Backups.CreateDirectory(temp);
        try
        {
            File.WriteAllBytes(Path.Combine(temp, JsonKeyStore.KeysFileName), keys);
            if (states is not null)
            {
                File.WriteAllBytes(Path.Combine(temp, JsonKeyStore.StatesFileName), states);
            }

            var probe = new JsonKeyStore(temp, new JsonKeyStoreOptions(), context.Time);
            return probe.Load().Keys?.Count ?? 0;
        }
        catch (KeyStoreException e)
        {
            throw new CliException($"Not restored: {keysBackup} cannot be read ({e.Message.Replace(temp + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)}); the store was left as it is.");
        }
        finally
        {
            Directory.Delete(temp, recursive: true);
        }
    }
}
