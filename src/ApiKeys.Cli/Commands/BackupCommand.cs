using System.CommandLine;
using ApiKeys.Cli.Output;
using ApiKeys.Storage;

namespace ApiKeys.Cli.Commands;

/// <summary><c>apikeys backup [--to DIR]</c>: the seed's daily dated copies, never over an earlier one (<see cref="StoreBackup"/>).</summary>
internal static class BackupCommand
{
    public static Command Create(CliContext context)
    {
        var to = new Option<string?>("--to") { Description = "Where to put the copies (default: the store directory, as the seed's cp does).", HelpName = "DIR" };
        var json = GlobalOptions.Json();
        var command = new Command("backup", "Copy the store to api_keys_YYYY-MM-DD.json and api_key_states_YYYY-MM-DD.json (0600, never overwriting; encrypted when the store is).")
        {
            to,
            json,
        };
        command.SetAction(parse =>
        {
            context.Stores.EnsurePrivate();
            var store = context.Stores.OpenStore();
            string target = Path.GetFullPath(parse.GetValue(to) ?? store.Directory);
            if (!File.Exists(store.KeysPath))
            {
                throw new CliException($"Nothing to back up: no {JsonKeyStore.KeysFileName} in {store.Directory} (apikeys init creates a store).");
            }

            var (keys, states) = context.Stores.BackUp(target);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("keys", keys);
                    JsonOutput.WriteNullable(writer, "states", states);
                    writer.WriteEndObject();
                });
            }
            else
            {
                context.Out.WriteLine($"Backed up keys to {keys}");
                if (states is not null)
                {
                    context.Out.WriteLine($"Backed up key states to {states}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
