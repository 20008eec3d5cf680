using System.CommandLine;
using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Commands;

/// <summary><c>apikeys decrypt [--yes]</c>: writes the keys file back as plain JSON, after a confirmation.</summary>
internal static class DecryptCommand
{
    public static Command Create(CliContext context)
    {
        var yes = GlobalOptions.Yes();
        var command = new Command("decrypt", "Write the keys file back in plain JSON (asks first, unless --yes).") { yes };
        command.SetAction(parse =>
        {
            string dir = context.StoreDirectory;
            string keysPath = Path.Combine(dir, JsonKeyStore.KeysFileName);
            context.Stores.RequireStore();
            context.Stores.EnsurePrivate();
            if (!context.Stores.IsEncrypted)
            {
                throw new CliException($"{keysPath} is not encrypted: nothing to do.");
            }

            if (!parse.GetValue(yes) && !context.Ask($"Decrypt {keysPath}? Anyone who can read the file will read the keys. [y/N]: "))
            {
                throw new CliException("Not decrypted: nothing was changed (confirm with y, or pass --yes).");
            }

            EncryptedStore.Decrypt(dir, context.Stores.Passphrase(), context.ProtectorOptions);
            context.Out.WriteLine($"Decrypted {keysPath}: the keys are in plain text now (apikeys encrypt encrypts them again).");
            if (Passphrases.IsConfigured(context))
            {
                context.Error.WriteLine("apikeys: note: with a passphrase given (APIKEYS_PASSPHRASE or --passphrase-file), commands refuse a plain keys file: unset it to use the store.");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
