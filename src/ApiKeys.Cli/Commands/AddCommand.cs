using System.CommandLine;
using System.Globalization;
using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Cli.Commands;

/// <summary><c>apikeys add</c>: the seed's hidden prompt, or <c>--stdin</c> with one key a line. Never a key in argv.</summary>
internal static class AddCommand
{
    public static Command Create(CliContext context)
    {
        // Declared only to catch a key given as an argument and refuse it with the reason (argv is visible to every user).
        var refused = new Argument<string[]>("key") { Arity = ArgumentArity.ZeroOrMore, Hidden = true };
        var stdin = new Option<bool>("--stdin") { Description = "Read keys from standard input, one a line (blank lines and # comments skipped)." };
        var label = new Option<string?>("--label") { Description = "A label for the key(s)." };
        var project = new Option<string?>("--project") { Description = "The Google Cloud project (keys of one project share a quota)." };
        var allowUnknown = new Option<bool>("--allow-unknown") { Description = "Accept a key of no known format (Gemini, OpenAI, Anthropic) without asking." };
        var json = GlobalOptions.Json();
        var command = new Command("add", "Add a key at a hidden prompt (nothing echoed), or keys from standard input with --stdin.")
        {
            refused,
            stdin,
            label,
            project,
            allowUnknown,
            json,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(refused) is { Length: > 0 } given)
            {
                KeySelector.RefuseSecret(null, given[0]);
                throw CliException.Usage(
                    "apikeys add takes no key argument: every user of this machine can read a process's arguments (ps). " +
                    "Type the key at the hidden prompt (apikeys add) or pipe it (apikeys add --stdin < file).");
            }

            using var manager = context.Stores.Open(creates: true);
            if (parse.GetValue(stdin))
            {
                var intake = new KeyIntake(context, manager, parse.GetValue(allowUnknown), parse.GetValue(label), parse.GetValue(project));
                int number = 0;
                while (context.Console.ReadLine() is { } line)
                {
                    number++;
                    var secret = line.Trim();
                    if (secret.Length > 0 && !secret.StartsWith('#'))
                    {
                        intake.Offer(string.Create(CultureInfo.InvariantCulture, $"line {number}"), secret);
                    }
                }

                intake.Finish();
                intake.Report(parse.GetValue(json));
                return intake.ExitCode();
            }

            return AddOne(context, manager, parse.GetValue(allowUnknown), parse.GetValue(label), parse.GetValue(project));
        });
        return command;
    }

    /// <summary>The seed's add: the hidden prompt, the library's format check, a confirmation for an unknown shape.</summary>
    public static int AddOne(CliContext context, ApiKeyManager manager, bool allowUnknown, string? label = null, string? project = null)
    {
        var secret = context.ReadSecret("Enter API key (input hidden): ");
        if (secret is null || secret.Trim().Length == 0)
        {
            throw new CliException("No key entered: nothing added.");
        }

        if (ArgumentGuard.OptionHolding(context.Arguments, secret) is { } option)
        {
            throw ArgumentGuard.KeyInOption(option);
        }

        string notDone = $"Key not added ({KeyMask.Mask(secret.Trim())})";
        var result = StoreOpener.Change(manager, notDone, m => m.AddKey(secret, label, project, allowUnknown));
        if (result.Status == AddKeyStatus.UnknownFormat && context.Console.IsInputTerminal
            && context.Ask($"{result.Message} Add it anyway? [y/N]: "))
        {
            result = StoreOpener.Change(manager, notDone, m => m.AddKey(secret, label, project, allowGeneric: true));
        }

        switch (result.Status)
        {
            case AddKeyStatus.Added:
                context.Out.WriteLine(result.Message);
                return ExitCodes.Success;
            case AddKeyStatus.UnknownFormat:
                throw new CliException($"{result.Message} Not added; pass --allow-unknown to accept it.");
            default:
                throw new CliException($"{result.Message} Not added.");
        }
    }
}
