using System.CommandLine;
using ApiKeys.Keys;

namespace ApiKeys.Cli.Commands;

/// <summary><c>apikeys remove &lt;key&gt;</c>: the seed's "Remove API Key", with a confirmation showing the mask.</summary>
internal static class RemoveCommand
{
    public static Command Create(CliContext context)
    {
        var key = new Argument<string>("key") { Description = "The key: its number, id or last characters." };
        var yes = GlobalOptions.Yes();
        var command = new Command("remove", "Remove a key (asks first, showing the mask, unless --yes).") { key, yes };
        command.Aliases.Add("rm");
        command.SetAction(parse =>
        {
            using var manager = context.Stores.Open();
            var status = KeySelector.Resolve(manager, parse.GetValue(key)!);
            if (!parse.GetValue(yes) && !context.Ask($"Remove key {status.Number} ({status.Mask})? [y/N]: "))
            {
                throw new CliException($"Not removed: {status.Mask} (confirm with y, or pass --yes).");
            }

            string tail = manager.Keys.FirstOrDefault(k => k.Id == status.Id) is { } k ? KeyMask.Tail(k.Secret) : status.Mask;
            StoreOpener.Change(manager, $"Not removed ({status.Mask})", m => m.RemoveKey(status.Id));
            context.Out.WriteLine($"Removed key: {tail}");
            return ExitCodes.Success;
        });
        return command;
    }
}
