using System.CommandLine;
using System.Globalization;
using ApiKeys.Security;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys encrypt</c>: turns the plain keys file into an authenticated envelope under a new passphrase (asked twice
/// on a terminal, else APIKEYS_PASSPHRASE or --passphrase-file). docs/security.md has the format.
/// </summary>
internal static class EncryptCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("encrypt", "Encrypt the keys file with a passphrase (APIKEYS_PASSPHRASE, --passphrase-file, or asked twice).");
        command.SetAction(_ =>
        {
            string dir = context.StoreDirectory;
            string keysPath = Path.Combine(dir, JsonKeyStore.KeysFileName);
            context.Stores.RequireStore();
            context.Stores.EnsurePrivate();
            if (context.Stores.IsEncrypted)
            {
                throw new CliException($"{keysPath} is already encrypted (apikeys passwd changes its passphrase).");
            }

            EncryptedStore.Encrypt(dir, context.Stores.Passphrase(), context.ProtectorOptions);
            context.Out.WriteLine($"Encrypted {keysPath}: keep the passphrase safe, it cannot be recovered.");
            var plainBackups = Directory.GetFiles(dir, $"{StoreBackup.KeysPrefix}*.json").Where(f => !IsEnvelope(f)).ToList();
            if (plainBackups.Count > 0)
            {
                context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"apikeys: note: {plainBackups.Count} plain backup{(plainBackups.Count == 1 ? "" : "s")} still hold the keys in clear ({string.Join(", ", plainBackups.Select(Path.GetFileName).Order(StringComparer.Ordinal))}): delete them once apikeys backup has made an encrypted one."));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static bool IsEnvelope(string path)
    {
        Span<byte> head = stackalloc byte[16];
        using var stream = File.OpenRead(path);
        int n = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        return EncryptedEnvelopeMagic.IsEnvelope(head[..n]);
    }
}
