using System.CommandLine;
using ApiKeys.Cli.Output;

namespace ApiKeys.Cli.Commands;

/// <summary><c>apikeys list</c>: the seed's "List stored API Keys".</summary>
internal static class ListCommand
{
    public static Command Create(CliContext context)
    {
        var json = GlobalOptions.Json();
        var command = new Command("list", "List the stored keys, masked: 1. AIza...YNQs (Active), (Blocked) with the time left, (Disabled) with the reason.")
        {
            json,
        };
        command.Aliases.Add("ls");
        command.SetAction(parse =>
        {
            using var manager = context.Stores.Open();
            var statuses = manager.GetStatuses();
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context, writer =>
                {
                    writer.WriteStartArray();
                    foreach (var status in statuses)
                    {
                        JsonOutput.WriteStatus(writer, status);
                    }

                    writer.WriteEndArray();
                });
            }
            else
            {
                KeyText.WriteList(context, statuses);
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
