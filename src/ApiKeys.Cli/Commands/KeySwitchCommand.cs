using System.CommandLine;

namespace ApiKeys.Cli.Commands;

/// <summary><c>apikeys enable|disable|reset &lt;key&gt;</c>: one change to one key.</summary>
internal static class KeySwitchCommand
{
    public static Command Create(CliContext context, KeySwitch change)
    {
        var key = new Argument<string>("key") { Description = "The key: its number, id or last characters." };
        var (name, description) = change switch
        {
            KeySwitch.Enable => ("enable", "Enable a key disabled by hand or by a failure (and lift its revalidation-only blocks)."),
            KeySwitch.Disable => ("disable", "Disable a key by hand: the pool stops handing it out until enabled."),
            _ => ("reset", "Clear a key's failures, cooldowns and disables (its totals stay)."),
        };
        var command = new Command(name, description) { key };
        command.SetAction(parse =>
        {
            using var manager = context.Stores.Open();
            var status = KeySelector.Resolve(manager, parse.GetValue(key)!);
            _ = change switch
            {
                KeySwitch.Enable => manager.Enable(status.Id),
                KeySwitch.Disable => manager.Disable(status.Id),
                _ => manager.Reset(status.Id),
            };
            manager.Flush();
            string done = change switch
            {
                KeySwitch.Enable => "Enabled",
                KeySwitch.Disable => "Disabled",
                _ => "Reset",
            };
            context.Out.WriteLine($"{done} key: {status.Mask}");
            return ExitCodes.Success;
        });
        return command;
    }
}
