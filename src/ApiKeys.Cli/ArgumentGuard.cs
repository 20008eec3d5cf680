using System.CommandLine;
using System.CommandLine.Parsing;
using ApiKeys.Keys;
using ApiKeys.Security;

namespace ApiKeys.Cli;

/// <summary>
/// Refuses a key anywhere on the command line: every user of the machine can read a process's arguments (<c>ps</c>),
/// and an option's text may be stored and shown in clear (<c>add --label</c>, <c>--project</c>). Every argument and
/// every option's value is checked, before the command runs for key-shaped text, and again against the pool's own keys
/// (any shape) once the store is open.
/// </summary>
internal static class ArgumentGuard
{
    /// <summary>Each value given on the command line, with the option it was given to (null for a plain argument).</summary>
    public static IReadOnlyList<(string? Option, string Value)> Values(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var values = new List<(string?, string)>();
        Collect(parse.RootCommandResult, values);
        values.AddRange(parse.UnmatchedTokens.Select(t => ((string?)null, t)));
        return values;
    }

    /// <summary>Refuses the first value holding a key-shaped token or a key of <paramref name="redactor"/>.</summary>
    /// <exception cref="CliException">A usage error (exit 2) naming the option and showing the key masked.</exception>
    public static void Refuse(IReadOnlyList<(string? Option, string Value)> values, SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(redactor);
        foreach (var (option, value) in values)
        {
            if (!HoldsKey(value, redactor))
            {
                continue;
            }

            if (option is null)
            {
                throw KeySelector.KeyOnCommandLine(Masked(value, redactor));
            }

            throw CliException.Usage(
                $"refusing a key in {option} ({Masked(value, redactor)}): every user of this machine can read a process's arguments (ps), " +
                $"and what {option} is given is stored or shown in clear. Give {option} a value that is not a key; to add a key use the " +
                "hidden prompt (apikeys add) or pipe it (apikeys add --stdin < file).");
        }
    }

    /// <summary>The option whose value holds <paramref name="secret"/> (a key being added, of no known shape), or null.</summary>
    public static string? OptionHolding(IReadOnlyList<(string? Option, string Value)> values, string secret)
    {
        ArgumentNullException.ThrowIfNull(values);
        secret = secret.Trim();
        return secret.Length < SecretRedactor.MinKnownLength
            ? null
            : values.FirstOrDefault(v => v.Option is not null && v.Value.Contains(secret, StringComparison.Ordinal)).Option;
    }

    /// <summary>The usage error for a key being added that an option's value holds.</summary>
    public static CliException KeyInOption(string option) => CliException.Usage(
        $"refusing the key being added: {option} holds it, and every user of this machine can read a process's arguments (ps). " +
        $"Give {option} a value that is not the key.");

    /// <summary>Whether <paramref name="text"/> holds a key: a key-shaped token, a known key, or a word shaped like a Google key.</summary>
    public static bool HoldsKey(string text, SecretRedactor redactor) =>
        redactor.ContainsSecret(text) || text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Any(KeySelector.LooksLikeKey);

    /// <summary><paramref name="text"/> with its keys masked; a word shaped like a Google key is masked whole.</summary>
    private static string Masked(string text, SecretRedactor redactor) =>
        string.Join(' ', redactor.Redact(text).Split(' ').Select(w => KeySelector.LooksLikeKey(w) ? KeyMask.Mask(w) : w));

    private static void Collect(CommandResult command, List<(string?, string)> values)
    {
        foreach (var child in command.Children)
        {
            switch (child)
            {
                case OptionResult option:
                    values.AddRange(option.Tokens.Select(t => ((string?)option.Option.Name, t.Value)));
                    break;
                case ArgumentResult argument:
                    values.AddRange(argument.Tokens.Select(t => ((string?)null, t.Value)));
                    break;
                case CommandResult sub:
                    Collect(sub, values);
                    break;
            }
        }
    }
}
