using System.Globalization;
using ApiKeys.Keys;
using ApiKeys.Pool;

namespace ApiKeys.Cli;

/// <summary>
/// Finds the key a command names without the secret on the command line: its number in the list (<c>2</c>), its id
/// (<c>k_1a2b3c4d5e6f</c>), its mask (<c>AIza...dD4X</c>) or its last characters (<c>dD4X</c>, <c>...dD4X</c>).
/// </summary>
internal static class KeySelector
{
    /// <summary>What every selector error ends with.</summary>
    public const string Hint = "name a key by its number, id or last characters (apikeys list shows them)";

    /// <summary>The one key <paramref name="selector"/> names.</summary>
    /// <exception cref="CliException">A full key (usage error), no key, or several keys match.</exception>
    public static KeyStatus Resolve(ApiKeyManager manager, string selector)
    {
        ArgumentNullException.ThrowIfNull(manager);
        selector = selector.Trim();
        RefuseSecret(manager, selector);
        var statuses = manager.GetStatuses();
        var keys = manager.Keys;
        List<KeyStatus> matches;
        if (int.TryParse(selector, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
        {
            if (number < 1 || number > statuses.Count)
            {
                throw new CliException(statuses.Count == 0
                    ? "No API keys stored."
                    : string.Create(CultureInfo.InvariantCulture, $"No key number {number}: the keys are numbered 1 to {statuses.Count} (apikeys list)."));
            }

            return statuses[number - 1];
        }

        if (selector.StartsWith("k_", StringComparison.Ordinal))
        {
            matches = [.. statuses.Where(s => s.Id.StartsWith(selector, StringComparison.Ordinal))];
        }
        else
        {
            int dots = selector.IndexOf("...", StringComparison.Ordinal);
            string head = dots < 0 ? "" : selector[..dots];
            string tail = dots < 0 ? selector : selector[(dots + 3)..];
            if (tail.Length < 2)
            {
                throw CliException.Usage($"'{selector}' is too short to name a key: {Hint}.");
            }

            var ids = keys.Where(k => k.Secret.EndsWith(tail, StringComparison.Ordinal) && k.Secret.StartsWith(head, StringComparison.Ordinal))
                .Select(k => k.Id)
                .ToHashSet(StringComparer.Ordinal);
            matches = [.. statuses.Where(s => ids.Contains(s.Id))];
        }

        // A long selector may be a whole key of another store: echo only its mask.
        string shown = selector.Length >= 16 ? KeyMask.Mask(selector) : selector;
        return matches.Count switch
        {
            1 => matches[0],
            0 => throw new CliException($"No key matches '{shown}': {Hint}."),
            _ => throw new CliException($"'{shown}' matches {matches.Count} keys ({string.Join(", ", matches.Select(m => string.Create(CultureInfo.InvariantCulture, $"{m.Number}. {m.Mask}")))}): give more characters, or the number."),
        };
    }

    /// <summary>Refuses a whole key given as an argument: every user of the machine can read a process's arguments.</summary>
    public static void RefuseSecret(ApiKeyManager? manager, string argument)
    {
        bool stored = manager is not null && manager.ResolveId(argument) is { } id && !string.Equals(id, argument, StringComparison.Ordinal);
        if (stored || LooksLikeKey(argument))
        {
            throw KeyOnCommandLine(KeyMask.Mask(argument));
        }
    }

    /// <summary>The usage error for a key given as an argument, shown as <paramref name="masked"/>.</summary>
    public static CliException KeyOnCommandLine(string masked) => CliException.Usage(
        $"refusing a key on the command line ({masked}): every user of this machine can read a process's arguments (ps). " +
        $"{char.ToUpperInvariant(Hint[0])}{Hint[1..]}; to add a key use the hidden prompt (apikeys add) or pipe it (apikeys add --stdin < file).");

    /// <summary>Whether <paramref name="text"/> has the shape of a full key of a known provider.</summary>
    public static bool LooksLikeKey(string text) =>
        KeyFormat.Check(text) is KeyFormatCheck.Gemini or KeyFormatCheck.OpenAI or KeyFormatCheck.Anthropic
        || (text.StartsWith("AIza", StringComparison.Ordinal) && text.Length >= 20);
}
