using System.CommandLine;
using System.Globalization;
using ApiKeys.Keys;

namespace ApiKeys.Cli.Commands;

/// <summary><c>apikeys rotate --stdin</c>: the seed's key rotation (the new set replaces the old, every state is cleared).</summary>
internal static class RotateCommand
{
    public static Command Create(CliContext context)
    {
        var stdin = new Option<bool>("--stdin") { Description = "Read the new keys from standard input, one a line (required: keys never go in arguments)." };
        var allowUnknown = new Option<bool>("--allow-unknown") { Description = "Accept keys of no known format." };
        var yes = GlobalOptions.Yes();
        var command = new Command("rotate", "Replace every key with the keys on standard input and clear every state (asks first unless --yes).")
        {
            stdin,
            allowUnknown,
            yes,
        };
        command.SetAction(parse =>
        {
            if (!parse.GetValue(stdin))
            {
                throw CliException.Usage("rotate reads the new keys from standard input: apikeys rotate --stdin < new_keys.txt");
            }

            var keys = ReadKeys(context, parse.GetValue(allowUnknown));
            int distinct = keys.Distinct(StringComparer.Ordinal).Count();
            if (distinct == 0)
            {
                throw new CliException("Nothing rotated: no keys on standard input.");
            }

            using var manager = context.Stores.Open(creates: true);
            if (!parse.GetValue(yes))
            {
                string question = string.Create(CultureInfo.InvariantCulture,
                    $"Replace the {manager.Count} stored keys with {distinct} new keys and clear every state? [y/N]: ");
                switch (context.Console.ConfirmOnTerminal(question))
                {
                    case null:
                        throw CliException.Usage("rotate asks for a confirmation and there is no terminal: pass --yes.");
                    case false:
                        throw new CliException("Not rotated: nothing was changed.");
                }
            }

            int count = StoreOpener.Change(manager, "Not rotated", m => m.ReplaceKeys(keys));
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rotated: {count} keys stored, every state cleared."));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The keys on standard input, one a line (blank lines and # comments skipped); any malformed line refuses them all.</summary>
    private static List<string> ReadKeys(CliContext context, bool allowUnknown)
    {
        var keys = new List<string>();
        var problems = new List<string>();
        int number = 0;
        while (context.Console.ReadLine() is { } line)
        {
            number++;
            var secret = line.Trim();
            if (secret.Length == 0 || secret.StartsWith('#'))
            {
                continue;
            }

            var check = KeyFormat.Check(secret);
            if (check is KeyFormatCheck.Gemini or KeyFormatCheck.OpenAI or KeyFormatCheck.Anthropic || (check == KeyFormatCheck.Unknown && allowUnknown))
            {
                keys.Add(secret);
            }
            else
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"line {number}{(check == KeyFormatCheck.Unknown ? " (unknown format; --allow-unknown accepts it)" : "")}"));
            }
        }

        if (problems.Count > 0)
        {
            throw new CliException($"Nothing rotated: malformed keys on {string.Join(", ", problems)}.");
        }

        return keys;
    }
}
