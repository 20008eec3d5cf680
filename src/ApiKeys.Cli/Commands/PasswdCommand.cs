using System.CommandLine;
using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys passwd [--new-passphrase-file F] [--new-data-key]</c>: re-wraps the data key under a new passphrase
/// (from the file, APIKEYS_NEW_PASSPHRASE, or asked twice); the current one comes from the usual sources.
/// </summary>
internal static class PasswdCommand
{
    public static Command Create(CliContext context)
    {
        var newFile = new Option<string?>("--new-passphrase-file")
        {
            Description = "Read the new passphrase from the first line of this file (mode 0600); else APIKEYS_NEW_PASSPHRASE, else asked twice.",
            HelpName = "PATH",
        };
        var newDataKey = new Option<bool>("--new-data-key")
        {
            Description = "Also replace the data key (when the old passphrase leaked and old copies of the file may exist).",
        };
        var command = new Command("passwd", "Change the passphrase of an encrypted store.") { newFile, newDataKey };
        command.SetAction(parse =>
        {
            string dir = context.StoreDirectory;
            string keysPath = Path.Combine(dir, JsonKeyStore.KeysFileName);
            context.Stores.RequireStore();
            context.Stores.EnsurePrivate();
            if (!context.Stores.IsEncrypted)
            {
                throw new CliException($"{keysPath} is not encrypted: apikeys encrypt encrypts it with a passphrase.");
            }

            bool rekey = parse.GetValue(newDataKey);
            EncryptedStore.ChangePassphrase(dir, context.Stores.Passphrase(), Passphrases.New(context, parse.GetValue(newFile)), rekey, context.ProtectorOptions);
            context.Out.WriteLine(rekey
                ? $"Changed the passphrase and the data key of {keysPath}."
                : $"Changed the passphrase of {keysPath} (copies made before still open with the old one; --new-data-key if it leaked).");
            return ExitCodes.Success;
        });
        return command;
    }
}
