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
            // The command says what it did once it is on disk; the library's own line would say it before.
            using var manager = context.Stores.Open(keyEvents: false);
            var status = KeySelector.Resolve(manager, parse.GetValue(key)!);
            var (done, notDone) = change switch
            {
                KeySwitch.Enable => ("Enabled", "Not enabled"),
                KeySwitch.Disable => ("Disabled", "Not disabled"),
                _ => ("Reset", "Not reset"),
            };
            StoreOpener.Change(manager, $"{notDone} ({status.Mask})", m => change switch
            {
                KeySwitch.Enable => m.Enable(status.Id),
                KeySwitch.Disable => m.Disable(status.Id),
                _ => m.Reset(status.Id),
            });
            context.Out.WriteLine($"{done} key: {status.Mask}");
            return ExitCodes.Success;
        });
        return command;
    }
}
