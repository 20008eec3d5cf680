using System.CommandLine;
using ApiKeys.Cli.Output;

namespace ApiKeys.Cli.Commands;

/// <summary><c>apikeys status [key] [--why]</c>: the seed's "View Key Statuses", and why a key is not being used.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext context)
    {
        var key = new Argument<string?>("key")
        {
            Description = "One key: its number, id or last characters (default: every key).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var why = new Option<bool>("--why") { Description = "Say why each key is (not) being used and when it comes back." };
        var json = GlobalOptions.Json();
        var command = new Command("status", "Show each key's failures, block and last failure (the seed's statuses).")
        {
            key,
            why,
            json,
        };
        command.SetAction(parse =>
        {
            using var manager = context.Stores.Open();
            var statuses = parse.GetValue(key) is { } selector ? [KeySelector.Resolve(manager, selector)] : manager.GetStatuses();
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
                return ExitCodes.Success;
            }

            if (statuses.Count == 0)
            {
                context.Out.WriteLine("No API keys stored.");
            }

            foreach (var status in statuses)
            {
                KeyText.WriteStatus(context, status, parse.GetValue(why));
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
