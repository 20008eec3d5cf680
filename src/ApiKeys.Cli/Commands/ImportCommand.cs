using System.CommandLine;
using System.Globalization;

namespace ApiKeys.Cli.Commands;

/// <summary>
/// <c>apikeys import</c>: keys from numbered environment variables (the seed's <c>GEMINI_KEY_1..N</c>), a .env file
/// (as python-dotenv reads it), or a text file of one key a line. Reports what was added, skipped or refused.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var env = new Option<string?>("--env") { Description = "Import PREFIX1, PREFIX2, ... from the environment (e.g. GEMINI_KEY_).", HelpName = "PREFIX" };
        var dotenv = new Option<FileInfo?>("--dotenv") { Description = "Import from a .env file: variables named --prefix*, else every variable whose name contains KEY.", HelpName = "FILE" };
        var file = new Option<FileInfo?>("--file") { Description = "Import from a text file: one key a line, blank lines and # comments skipped.", HelpName = "FILE" };
        var prefix = new Option<string?>("--prefix") { Description = "With --dotenv: only variables whose name starts with this.", HelpName = "PREFIX" };
        var allowUnknown = new Option<bool>("--allow-unknown") { Description = "Accept keys of no known format." };
        var json = GlobalOptions.Json();
        var command = new Command("import", "Import keys from environment variables, a .env file or a text file.")
        {
            env,
            dotenv,
            file,
            prefix,
            allowUnknown,
            json,
        };
        command.SetAction(parse =>
        {
            var sources = new List<(string Source, string Secret)>();
            int given = 0;
            if (parse.GetValue(env) is { } envPrefix)
            {
                given++;
                sources.AddRange(FromEnvironment(context, envPrefix));
            }

            if (parse.GetValue(dotenv) is { } dotenvFile)
            {
                given++;
                sources.AddRange(FromDotenv(ReadLines(dotenvFile), dotenvFile.Name, parse.GetValue(prefix)));
            }

            if (parse.GetValue(file) is { } textFile)
            {
                given++;
                sources.AddRange(FromText(ReadLines(textFile), textFile.Name));
            }

            if (given == 0)
            {
                throw CliException.Usage("import needs a source: --env PREFIX, --dotenv FILE or --file FILE.");
            }

            using var manager = context.Stores.Open(creates: true);
            var intake = new KeyIntake(context, manager, parse.GetValue(allowUnknown));
            foreach (var (source, secret) in sources)
            {
                intake.Offer(source, secret);
            }

            intake.Finish();
            intake.Report(parse.GetValue(json));
            return intake.ExitCode();
        });
        return command;
    }

    /// <summary>PREFIX1..PREFIXn, in numeric order, gaps allowed (the seed's <c>os.getenv(f"GEMINI_KEY_{i}")</c>).</summary>
    public static IEnumerable<(string, string)> FromEnvironment(CliContext context, string prefix)
    {
        var found = new SortedDictionary<int, (string, string)>();
        foreach (var (name, value) in context.Console.GetEnvironmentVariables())
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal)
                && int.TryParse(name.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n)
                && !string.IsNullOrWhiteSpace(value))
            {
                found[n] = (name, value.Trim());
            }
        }

        return found.Values;
    }

    /// <summary>Key variables of a .env file as python-dotenv reads it (<see cref="ApiKeys.Gateway.Admin.DotenvKeys"/>, shared with the dashboard).</summary>
    public static IEnumerable<(string, string)> FromDotenv(IEnumerable<string> lines, string fileName, string? prefix) =>
        ApiKeys.Gateway.Admin.DotenvKeys.Read(lines, fileName, prefix);

    /// <summary>One key a line; blank lines and # comments skipped.</summary>
    public static IEnumerable<(string, string)> FromText(IEnumerable<string> lines, string fileName)
    {
        int number = 0;
        foreach (var raw in lines)
        {
            number++;
            var line = raw.Trim();
            if (line.Length > 0 && !line.StartsWith('#'))
            {
                yield return (string.Create(CultureInfo.InvariantCulture, $"{fileName}:{number}"), line);
            }
        }
    }

    private static List<string> ReadLines(FileInfo file)
    {
        try
        {
            return [.. File.ReadLines(file.FullName)];
        }
        catch (FileNotFoundException)
        {
            throw new CliException($"No such file: {file.FullName}");
        }
        catch (DirectoryNotFoundException)
        {
            throw new CliException($"No such file: {file.FullName}");
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read {file.FullName}: Permission denied; fix: chmod u+r {file.FullName}");
        }
    }
}
