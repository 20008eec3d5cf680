using System.Globalization;

namespace ApiKeys.Gateway.Admin;

/// <summary>
/// The key variables of a .env file as python-dotenv reads it: <c>NAME=value</c>, optional <c>export</c>, single or double
/// quotes, <c># comments</c> (after an unquoted value only when preceded by a space). <c>apikeys import --dotenv</c> and the
/// dashboard's import both read .env files here.
/// </summary>
public static class DotenvKeys
{
    /// <summary>Each wanted variable: where it was (<c>file:line NAME</c>, no secret) and its value.</summary>
    /// <param name="lines">The file's lines.</param>
    /// <param name="fileName">The file's name, for the places.</param>
    /// <param name="prefix">Only variables whose name starts with this; null: every variable whose name contains KEY.</param>
    public static IEnumerable<(string Source, string Secret)> Read(IEnumerable<string> lines, string fileName, string? prefix)
    {
        ArgumentNullException.ThrowIfNull(lines);
        int number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line["export ".Length..].TrimStart();
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                continue;
            }

            string name = line[..eq].Trim();
            bool wanted = prefix is not null
                ? name.StartsWith(prefix, StringComparison.Ordinal)
                : name.Contains("KEY", StringComparison.OrdinalIgnoreCase);
            if (!wanted)
            {
                continue;
            }

            string value = Unquote(line[(eq + 1)..].Trim());
            if (value.Length > 0)
            {
                yield return (string.Create(CultureInfo.InvariantCulture, $"{fileName}:{number} {name}"), value);
            }
        }
    }

    private static string Unquote(string value)
    {
        if (value.Length >= 2 && (value[0] is '"' or '\'') && value.IndexOf(value[0], 1) is int end and > 0)
        {
            return value[1..end];
        }

        int comment = value.IndexOf(" #", StringComparison.Ordinal);
        return (comment >= 0 ? value[..comment] : value).Trim();
    }
}
